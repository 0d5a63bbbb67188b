package io.stateweave.flink.transaction;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * When an epoch closes: when it holds {@code maxSize} requests, or {@code maxDelay} after its first
 * request arrived, whichever comes first. Larger epochs batch more work per decision; conflicting
 * transactions in one epoch run again in its fallback phase, one by one.
 */
public record EpochOptions(int maxSize, Duration maxDelay) implements Serializable {
  public EpochOptions {
    if (maxSize < 1) {
      throw new IllegalArgumentException("An epoch's maximum size must be positive, got " + maxSize);
    }
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (maxDelay.isNegative() || maxDelay.isZero()) {
      throw new IllegalArgumentException("An epoch's maximum delay must be positive, got " + maxDelay);
    }
  }
}
