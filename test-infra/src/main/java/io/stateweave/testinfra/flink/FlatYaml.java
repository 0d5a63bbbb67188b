package io.stateweave.testinfra.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes Flink's config.yaml restricted to flat {@code key: value} lines, which is all
 * the template and the generated files use: enough to merge settings without a YAML library.
 */
final class FlatYaml {
  private FlatYaml() {}

  static Map<String, String> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    Map<String, String> entries = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(": ");
      if (colon <= 0 || lines.get(i).startsWith(" ")) {
        throw new IllegalArgumentException(
            file + ":" + (i + 1) + ": expected a flat 'key: value' line, got: " + lines.get(i));
      }
      entries.put(line.substring(0, colon).strip(), unquote(line.substring(colon + 2).strip()));
    }
    return entries;
  }

  static void write(Path file, Map<String, String> entries) {
    StringBuilder yaml =
        new StringBuilder("# Written by io.stateweave.testinfra.flink.FlinkCluster\n");
    for (Map.Entry<String, String> entry : new TreeMap<>(entries).entrySet()) {
      yaml.append(entry.getKey()).append(": ").append(quote(entry.getValue())).append('\n');
    }
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * Single-quoted YAML scalars keep every value a string (Flink converts strings to the option's
   * type), so paths, JVM options and the like need no further escaping than doubled quotes.
   */
  static String quote(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  private static String unquote(String value) {
    if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
      return value.substring(1, value.length() - 1).replace("''", "'");
    }
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }
}
