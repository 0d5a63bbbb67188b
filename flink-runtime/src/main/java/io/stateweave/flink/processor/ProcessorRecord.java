package io.stateweave.flink.processor;

import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * A record into or out of a processor, for programs that feed a task from streams of their own
 * ({@link Processors#process}): into it, {@code channel} is the input's source id; out of it, the
 * output channel. {@code key} is the Kafka key (the partition of the stores), empty for none;
 * never null. Immutable by contract: the arrays are not copied.
 */
public record ProcessorRecord(int channel, byte[] key, byte[] value) {
  static final byte[] NONE = new byte[0];

  /** Flink's type information for these records (their own serializer, never Kryo). */
  public static TypeInformation<ProcessorRecord> typeInfo() {
    return ProcessorRecordSerializer.TYPE_INFO;
  }
}
