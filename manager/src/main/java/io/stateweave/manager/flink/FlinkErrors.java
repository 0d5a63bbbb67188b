package io.stateweave.manager.flink;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns Flink's error texts (stack traces inside {@code {"errors": [...]}}, savepoint failure
 * causes, job exceptions) into a message a user reads: each exception's own line, without the
 * frames, deduplicated, in order.
 */
final class FlinkErrors {
  private static final int MAX_LENGTH = 4000;

  private FlinkErrors() {}

  static String summary(JsonNode errors, String fallback) {
    Set<String> lines = new LinkedHashSet<>();
    for (JsonNode error : errors) {
      lines.addAll(exceptionLines(error.asText()));
    }
    // Flink's generic first entry says nothing the others do not
    lines.remove("Internal server error.");
    if (lines.isEmpty()) {
      return fallback;
    }
    String text = String.join("; ", withoutRepeats(lines));
    return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH) + "...";
  }

  /**
   * Leaves out a line whose message a longer line repeats: Flink wraps a cause in exceptions that
   * quote it ("The main method caused an error: " + the cause's message).
   */
  private static List<String> withoutRepeats(Set<String> lines) {
    List<String> kept = new ArrayList<>();
    for (String line : lines) {
      int colon = line.indexOf(": ");
      String message = colon < 0 ? line : line.substring(colon + 2);
      boolean repeated =
          lines.stream()
              .anyMatch(other -> other.length() > line.length() && other.contains(message));
      if (!repeated) {
        kept.add(line);
      }
    }
    return kept;
  }

  /** The lines of a stack trace that name an exception and its message. */
  static Set<String> exceptionLines(String stackTrace) {
    Set<String> lines = new LinkedHashSet<>();
    for (String line : stackTrace.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty()
          || trimmed.startsWith("at ")
          || trimmed.startsWith("...")
          || trimmed.startsWith("<Exception on server side:")
          || trimmed.equals(">")
          || trimmed.startsWith("End of exception on server side")) {
        continue;
      }
      lines.add(trimmed.startsWith("Caused by: ") ? trimmed.substring(11) : trimmed);
    }
    return lines;
  }

  /** The deepest cause of a stack trace: its last "Caused by:" line, else its first line. */
  static String rootCause(String stackTrace) {
    String root = null;
    for (String line : stackTrace.split("\n")) {
      String trimmed = line.strip();
      if (root == null && !trimmed.isEmpty()) {
        root = trimmed;
      } else if (trimmed.startsWith("Caused by: ")) {
        root = trimmed.substring(11);
      }
    }
    return root;
  }
}
