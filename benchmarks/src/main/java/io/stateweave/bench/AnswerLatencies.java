package io.stateweave.bench;

import java.util.Arrays;

/**
 * The latencies of the answers to requests that were due within a measured window: an answer seen
 * at {@code seenNanos} to a request due at {@code dueNanos} took their difference; answers to
 * requests due before the window (the warm-up) or after it are not counted. One reader thread
 * records; the summary is read after it stopped.
 */
final class AnswerLatencies {
  private final long windowStartNanos;
  private final long windowEndNanos;
  private long[] samples = new long[1 << 16];
  private int count;

  /** Requests due in [{@code windowStartNanos}, {@code windowEndNanos}) are measured. */
  AnswerLatencies(long windowStartNanos, long windowEndNanos) {
    if (windowEndNanos - windowStartNanos <= 0) {
      throw new IllegalArgumentException(
          "empty window " + windowStartNanos + ".." + windowEndNanos);
    }
    this.windowStartNanos = windowStartNanos;
    this.windowEndNanos = windowEndNanos;
  }

  /** Whether a request due then is measured. */
  boolean inWindow(long dueNanos) {
    return dueNanos - windowStartNanos >= 0 && dueNanos - windowEndNanos < 0;
  }

  void answered(long dueNanos, long seenNanos) {
    if (!inWindow(dueNanos)) {
      return;
    }
    if (count == samples.length) {
      samples = Arrays.copyOf(samples, samples.length * 2);
    }
    samples[count++] = seenNanos - dueNanos;
  }

  /** The measured answers' latencies, against {@code sentInWindow} requests due in the window. */
  Summary summary(long sentInWindow) {
    if (sentInWindow < 0) {
      throw new IllegalArgumentException("negative requests sent: " + sentInWindow);
    }
    long[] sorted = Arrays.copyOf(samples, count);
    Arrays.sort(sorted);
    return new Summary(
        count,
        sentInWindow - count,
        Probe.quantile(sorted, 0.50),
        Probe.quantile(sorted, 0.99),
        count == 0 ? -1 : sorted[count - 1]);
  }

  /**
   * Latencies in nanoseconds (-1 without answers); {@code unanswered} is the requests of the window
   * without an answer when reading stopped (negative if some were answered twice).
   */
  record Summary(int answers, long unanswered, long p50Nanos, long p99Nanos, long maxNanos) {}
}
