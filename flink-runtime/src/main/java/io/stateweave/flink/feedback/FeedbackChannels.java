package io.stateweave.flink.feedback;

import org.apache.flink.api.common.functions.RuntimeContext;

/** Where head and tail find their shared channel. */
final class FeedbackChannels {
  private FeedbackChannels() {}

  static FeedbackKey keyOf(RuntimeContext context) {
    return new FeedbackKey(
        context.getJobInfo().getJobId().toString(),
        context.getTaskInfo().getIndexOfThisSubtask(),
        context.getTaskInfo().getAttemptNumber());
  }
}
