package io.stateweave.flink.processor;

/**
 * A record into or out of a processor: into it, {@code channel} is the input's source id; out of
 * it, the output channel. {@code key} is the Kafka key, empty for none; never null.
 */
record ProcessorRecord(int channel, byte[] key, byte[] value) {
  static final byte[] NONE = new byte[0];
}
