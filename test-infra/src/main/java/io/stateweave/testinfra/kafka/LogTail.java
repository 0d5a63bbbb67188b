package io.stateweave.testinfra.kafka;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** The last lines of a log file, for error messages that show why a process failed. */
final class LogTail {

  // enough for a stack trace; bounded so that a huge log does not flood the error message
  private static final int MAX_BYTES = 64 * 1024;

  // the first error of a start that failed is near the top: the broker then logs its shutdown
  private static final int MAX_ERROR_SEARCH_BYTES = 4 * 1024 * 1024;
  private static final Pattern ERROR_LINE = Pattern.compile("^\\[[^\\]]+\\] (ERROR|FATAL) ");

  private LogTail() {}

  /** The last {@code lines} lines of {@code file}, or a note saying why there are none. */
  static String of(Path file, int lines) {
    checkPositive(lines);
    try {
      List<String> all = lines(file, MAX_BYTES);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  /**
   * The first line logged at ERROR or FATAL and up to {@code lines - 1} lines after it (its stack
   * trace), or an empty string if there is none.
   */
  static String firstError(Path file, int lines) {
    checkPositive(lines);
    try {
      List<String> all = lines(file, MAX_ERROR_SEARCH_BYTES);
      for (int i = 0; i < all.size(); i++) {
        if (ERROR_LINE.matcher(all.get(i)).find()) {
          return String.join("\n", all.subList(i, Math.min(all.size(), i + lines)));
        }
      }
      return "";
    } catch (IOException e) {
      return "";
    }
  }

  /** The last {@code maxBytes} of the file as lines; none if it does not exist. */
  private static List<String> lines(Path file, int maxBytes) throws IOException {
    if (!Files.isRegularFile(file)) {
      return List.of("(no log: " + file + " does not exist)");
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      int size = (int) Math.min(length, maxBytes);
      byte[] bytes = new byte[size];
      in.seek(length - size);
      in.readFully(bytes);
      // decoding replaces broken characters at the cut instead of failing
      return Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\n"));
    }
  }

  private static void checkPositive(int lines) {
    if (lines < 1) {
      throw new IllegalArgumentException("lines must be positive, was " + lines);
    }
  }
}
