package io.stateweave.flink.feedback;

import org.apache.flink.runtime.execution.Environment;
import org.apache.flink.runtime.memory.OpaqueMemoryResource;

/**
 * Where the feedback tail and the dispatcher of one subtask find their channel. Being different
 * tasks, they can only meet through something their TaskManager hands to both; the co-location
 * group puts them into one slot, and the slot's memory manager shares resources between its tasks
 * by name and closes each when the last task holding it released it (Flink's RocksDB backend shares
 * its cache so). Nothing is kept in a static, and a slot serves one job at a time.
 */
final class FeedbackChannels {
  private FeedbackChannels() {}

  /** The channel of this task's subtask; close the lease when the task no longer uses it. */
  static OpaqueMemoryResource<FeedbackChannel> acquire(Environment task) throws Exception {
    return task.getMemoryManager()
        .getExternalSharedMemoryResource(name(task), size -> new FeedbackChannel(), 0);
  }

  /**
   * Names the channel by subtask and attempt: a restarted pair must not meet the channel of the
   * attempt that failed, which may still be closing in the same slot. Head and tail sit in one
   * pipelined region, so they always restart together and share the attempt number.
   */
  static String name(Environment task) {
    return "stateweave feedback channel of job "
        + task.getJobID()
        + ", subtask "
        + task.getTaskInfo().getIndexOfThisSubtask()
        + ", attempt "
        + task.getTaskInfo().getAttemptNumber();
  }
}
