package io.stateweave.testinfra.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The end of a small log file, for error messages that show why a process failed. */
final class Logs {
  private Logs() {}

  static String tail(Path file, int lines) {
    try {
      // the logs of npm and of the Node peer stay small, so reading them whole is fine
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }
}
