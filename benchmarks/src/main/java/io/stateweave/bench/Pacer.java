package io.stateweave.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop schedule for a generator: at {@code perSecond} items per second the k-th item is due
 * k / rate after the first, and {@link #due} waits until then when it is more than a millisecond
 * early. An item held up by a stalled pipeline counts from when it should have left, not from when
 * the stall let it go (Flink's rate limiter stamps late and then catches up in a burst). At rate 0
 * every item is due now.
 */
final class Pacer {
  private static final long EARLY_NANOS = 1_000_000;

  private final double nanosPerItem;
  private long firstDueNanos;
  private long generated;

  Pacer(double perSecond) {
    if (perSecond < 0 || Double.isNaN(perSecond)) {
      throw new IllegalArgumentException("negative rate " + perSecond);
    }
    this.nanosPerItem = perSecond == 0 ? 0 : 1e9 / perSecond;
  }

  /** The next item's due time (System.nanoTime), after waiting for it if it is early. */
  long due() {
    long now = System.nanoTime();
    if (nanosPerItem == 0) {
      return now;
    }
    if (generated == 0) {
      firstDueNanos = now;
    }
    long due = firstDueNanos + (long) (generated++ * nanosPerItem);
    if (due - now > EARLY_NANOS) {
      LockSupport.parkNanos(due - now);
    }
    return due;
  }
}
