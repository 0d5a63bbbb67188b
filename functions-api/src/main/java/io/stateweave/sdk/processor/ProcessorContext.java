package io.stateweave.sdk.processor;

import java.util.List;

/** What a {@link Processor}'s hooks may do. */
public interface ProcessorContext {
  /**
   * Emits a record to the task's {@code channel}-th output. Within {@code process}, the record's
   * Kafka key is the key of the record being processed; elsewhere it has none.
   *
   * @throws IllegalArgumentException when the task has no such output
   */
  void emit(byte[] data, int channel);

  /** Emits to channel 0. */
  default void emit(byte[] data) {
    emit(data, 0);
  }

  /**
   * The store of that name, in the partition of the record being processed (see {@link KVStore}).
   * Its methods may be called in {@code process} only.
   */
  KVStore getOrCreateKVStore(String name);

  /** The Kafka key of the record being processed; empty for a record without key. */
  byte[] currentKey();

  /** The last watermark passed to {@link Processor#processWatermark}; Long.MIN_VALUE before. */
  long currentWatermark();

  /**
   * What {@link Processor#takeCheckpoint} returned at the checkpoint this start restores: empty on
   * a fresh start, the instance's own value when the parallelism is unchanged, and after a rescale
   * some of the values of the former instances, each reaching exactly one new instance.
   */
  List<byte[]> restoredState();
}
