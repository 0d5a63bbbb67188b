package io.stateweave.testinfra.flink;

import java.util.regex.Pattern;

/** A Flink job id: 32 lower-case hex digits, as the CLI prints and the REST API takes it. */
public record JobId(String value) {
  static final Pattern FORMAT = Pattern.compile("[0-9a-f]{32}");

  public JobId {
    if (value == null || !FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException("not a Flink job id (32 hex digits): " + value);
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
