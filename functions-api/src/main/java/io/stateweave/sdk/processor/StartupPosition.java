package io.stateweave.sdk.processor;

import java.io.Serializable;

/** Where a {@link KafkaInput} starts reading when the task starts without a checkpoint. */
public record StartupPosition(Type type, long timestampMillis) implements Serializable {
  public enum Type {
    /** The group's committed offsets; a partition without one starts at the earliest record. */
    GROUP_OFFSETS,
    EARLIEST,
    LATEST,
    /** The first record at or after {@code timestampMillis}. */
    TIMESTAMP
  }

  public static StartupPosition groupOffsets() {
    return new StartupPosition(Type.GROUP_OFFSETS, 0);
  }

  public static StartupPosition earliest() {
    return new StartupPosition(Type.EARLIEST, 0);
  }

  public static StartupPosition latest() {
    return new StartupPosition(Type.LATEST, 0);
  }

  public static StartupPosition timestamp(long epochMillis) {
    return new StartupPosition(Type.TIMESTAMP, epochMillis);
  }
}
