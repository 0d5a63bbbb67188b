package io.stateweave.flink.module;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads durations the way StateFun's module files write them (Flink's classic format): a whole
 * number, optional blanks, then an optional unit, e.g. {@code 500ms}, {@code 10 s}, {@code 2min},
 * {@code 1 minute}. A number without a unit is milliseconds.
 */
final class Durations {
  private Durations() {}

  private static final Map<String, ChronoUnit> UNITS = new LinkedHashMap<>();

  static {
    unit(ChronoUnit.DAYS, "d", "day", "days");
    unit(ChronoUnit.HOURS, "h", "hour", "hours");
    unit(ChronoUnit.MINUTES, "min", "m", "minute", "minutes");
    unit(ChronoUnit.SECONDS, "s", "sec", "secs", "second", "seconds");
    unit(ChronoUnit.MILLIS, "ms", "milli", "millis", "millisecond", "milliseconds");
    unit(ChronoUnit.MICROS, "µs", "micro", "micros", "microsecond", "microseconds");
    unit(ChronoUnit.NANOS, "ns", "nano", "nanos", "nanosecond", "nanoseconds");
  }

  private static void unit(ChronoUnit unit, String... labels) {
    for (String label : labels) {
      UNITS.put(label, unit);
    }
  }

  /** Throws {@link IllegalArgumentException} saying what is wrong with {@code text}. */
  static Duration parse(String text) {
    String trimmed = text.trim();
    int digits = 0;
    while (digits < trimmed.length() && isAsciiDigit(trimmed.charAt(digits))) {
      digits++;
    }
    if (digits == 0) {
      throw new IllegalArgumentException("'" + text + "' does not start with a whole number");
    }
    String label = trimmed.substring(digits).trim().toLowerCase(Locale.ROOT);
    ChronoUnit unit = label.isEmpty() ? ChronoUnit.MILLIS : UNITS.get(label);
    if (unit == null) {
      throw new IllegalArgumentException("unknown unit '" + label + "', known: " + UNITS.keySet());
    }
    try {
      return Duration.of(Long.parseLong(trimmed.substring(0, digits)), unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is too large", e);
    }
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
