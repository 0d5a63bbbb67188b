package io.stateweave.flink.remote;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How often a failed call of a remote function is tried again (5xx, connection failures, timeouts),
 * how long to wait in between (exponential, capped), and what happens when it still fails. Unlike
 * StateFun, which retries forever and wedges the pipeline, the number is bounded.
 *
 * @param maxRetries attempts after the first one
 * @param initialBackoff the wait before the first retry; doubled for each further one
 * @param maxBackoff the longest wait between two attempts
 * @param onFailure what happens to the batch when the last attempt failed too
 */
public record RetryPolicy(
    int maxRetries, Duration initialBackoff, Duration maxBackoff, OnFailure onFailure)
    implements Serializable {

  /** What happens to a batch of messages whose call failed for good. */
  public enum OnFailure {
    /** The job fails, naming the function, the address, the endpoint and the last error. */
    FAIL,
    /** Every message of the batch goes to the dead-letter egress; the address carries on. */
    DEAD_LETTER
  }

  public RetryPolicy {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must not be negative, got " + maxRetries);
    }
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(onFailure, "onFailure");
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "Backoffs must satisfy 0 <= initial <= max, got initial "
              + initialBackoff
              + " and max "
              + maxBackoff);
    }
  }

  /** The wait before retry number {@code retry} (1 for the first retry). */
  Duration backoff(int retry) {
    Duration backoff = initialBackoff;
    for (int i = 1; i < retry && backoff.compareTo(maxBackoff) < 0; i++) {
      backoff = backoff.multipliedBy(2);
    }
    return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
  }
}
