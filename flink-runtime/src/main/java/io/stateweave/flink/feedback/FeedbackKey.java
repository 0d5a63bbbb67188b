package io.stateweave.flink.feedback;

import java.io.Serializable;
import java.util.Objects;

/**
 * Names the channel between the feedback tail and the dispatcher of one subtask index. The attempt
 * number keeps a restarted pair from meeting the channel of the attempt that failed; head and tail
 * sit in one pipelined region, so they always restart together and share the attempt number.
 */
final class FeedbackKey implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String jobId;
  private final int subtaskIndex;
  private final int attemptNumber;

  FeedbackKey(String jobId, int subtaskIndex, int attemptNumber) {
    this.jobId = Objects.requireNonNull(jobId, "jobId");
    this.subtaskIndex = subtaskIndex;
    this.attemptNumber = attemptNumber;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FeedbackKey)) {
      return false;
    }
    FeedbackKey other = (FeedbackKey) o;
    return jobId.equals(other.jobId)
        && subtaskIndex == other.subtaskIndex
        && attemptNumber == other.attemptNumber;
  }

  @Override
  public int hashCode() {
    return Objects.hash(jobId, subtaskIndex, attemptNumber);
  }

  @Override
  public String toString() {
    return "feedback channel of job "
        + jobId
        + ", subtask "
        + subtaskIndex
        + ", attempt "
        + attemptNumber;
  }
}
