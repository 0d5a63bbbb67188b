package io.stateweave.testinfra.flink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The last lines of log files, for error messages that show what a process said. */
final class LogTail {
  static final int LINES = 40;

  private LogTail() {}

  static String of(Path file) {
    if (!Files.isRegularFile(file)) {
      return "--- " + file + ": (missing)\n";
    }
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
      List<String> tail = lines.subList(Math.max(0, lines.size() - LINES), lines.size());
      return "--- last "
          + tail.size()
          + " lines of "
          + file
          + ":\n"
          + String.join("\n", tail)
          + "\n";
    } catch (IOException e) {
      return "--- " + file + ": unreadable (" + e + ")\n";
    }
  }
}
