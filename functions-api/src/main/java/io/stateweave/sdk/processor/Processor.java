package io.stateweave.sdk.processor;

/**
 * User code that reads byte records and emits bytes, with state in {@link KVStore}s. One instance
 * runs per subtask of the task; the runtime calls its hooks from one thread, never concurrently.
 *
 * <p>Instances are created by the runtime through a public no-arg constructor: what an instance
 * holds in fields is lost on a failure unless {@link #takeCheckpoint} returns it.
 */
public interface Processor {
  /** The {@code sourceId} of {@link #processWatermark}: the watermark holds for every input. */
  int ALL_INPUTS = -1;

  /**
   * Called once per start of the instance, before any record: on the first start and after every
   * restore. {@link ProcessorContext#restoredState()} holds what {@link #takeCheckpoint} returned
   * at the checkpoint restored from.
   *
   * @param config the task's init config
   */
  default void init(ProcessorContext ctx, java.util.Map<String, String> config) {}

  /**
   * Called for each record, once per checkpointed state: after a failure the runtime restores the
   * stores and the outputs to the last checkpoint, and replays what came after it.
   *
   * @param sourceId the index of the record's input in the task config, counted across input
   *     groups in the order given
   * @param data the record's value; never null (a Kafka record without value is empty)
   * @throws Exception fails the task, which restarts from its last checkpoint
   */
  void process(ProcessorContext ctx, int sourceId, byte[] data) throws Exception;

  /**
   * Called when event time advances: the watermark is the minimum over every input, each input's
   * the largest Kafka record timestamp it read minus its out-of-orderness and 1 ms (as Flink's
   * bounded out-of-orderness), leaving out an input idle for its {@code idleTimeout}. Calls come in
   * increasing order of watermark; stores are not available here (no record, so no key).
   *
   * @param sourceId {@link #ALL_INPUTS}
   */
  default void processWatermark(ProcessorContext ctx, int sourceId, long watermark) {}

  /**
   * Called when the runtime takes a checkpoint, after every record before it was processed.
   *
   * @return in-memory state to keep with the checkpoint, handed back through {@link
   *     ProcessorContext#restoredState()} on restore; null for none
   */
  default byte[] takeCheckpoint(ProcessorContext ctx, long checkpointId) {
    return null;
  }

  /**
   * Called periodically (the task's heartbeat interval). Returning false fails the task: the
   * runtime restarts it from its last checkpoint, as after any failure, with the reason in the log
   * and in Flink's exception history.
   */
  default boolean checkHeartbeat(ProcessorContext ctx) {
    return true;
  }
}
