package io.stateweave.testinfra.node;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds {@code node} and {@code npm} on the PATH, with a message that says what to install. */
final class NodeTools {
  private NodeTools() {}

  static Path node() {
    return find("node", System.getenv("PATH"));
  }

  static Path npm() {
    return find("npm", System.getenv("PATH"));
  }

  static Path find(String name, String path) {
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (dir.isEmpty()) {
          continue;
        }
        Path candidate = Path.of(dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    throw new IllegalStateException(
        "`"
            + name
            + "` is not on the PATH ("
            + path
            + "). The tests that run remote functions with the official StateFun JavaScript SDK"
            + " need Node.js 14 or later with npm: install them (e.g. `apt-get install nodejs npm`,"
            + " or from https://nodejs.org) and make sure `node` and `npm` are on the PATH.");
  }
}
