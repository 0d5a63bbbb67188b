package io.stateweave.flink.transaction;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.configuration.MemorySize;

/**
 * When an epoch closes: when it holds {@code maxSize} requests, or {@code maxDelay} after its first
 * request arrived, whichever comes first. Larger epochs batch more work per decision; conflicting
 * transactions in one epoch run again in its fallback phase, one by one.
 *
 * @param answerRetention how long (processing time) an answer is kept to answer a resubmission of
 *     its request id; a request id resubmitted after that runs again as a new transaction
 * @param entityCache about how much heap the executor may give the entities it used last, kept
 *     in memory across epochs and written to the state backend only when evicted and before each
 *     checkpoint; zero reads and writes every entity in the backend every epoch
 */
public record EpochOptions(
    int maxSize, Duration maxDelay, Duration answerRetention, MemorySize entityCache)
    implements Serializable {
  /** Far longer than any client waits before resubmitting, short enough to bound the state. */
  public static final Duration DEFAULT_ANSWER_RETENTION = Duration.ofDays(7);

  /** Room for some 150,000 small entities; a small share of a TaskManager's default heap. */
  public static final MemorySize DEFAULT_ENTITY_CACHE = MemorySize.parse("32mb");

  public EpochOptions {
    if (maxSize < 1) {
      throw new IllegalArgumentException("An epoch's maximum size must be positive, got " + maxSize);
    }
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (maxDelay.isNegative() || maxDelay.isZero()) {
      throw new IllegalArgumentException("An epoch's maximum delay must be positive, got " + maxDelay);
    }
    Objects.requireNonNull(answerRetention, "answerRetention");
    if (answerRetention.toMillis() < 1) {
      throw new IllegalArgumentException(
          "The answers' retention must be at least 1 ms, got " + answerRetention);
    }
    Objects.requireNonNull(entityCache, "entityCache");
  }

  /** The {@link #DEFAULT_ENTITY_CACHE}. */
  public EpochOptions(int maxSize, Duration maxDelay, Duration answerRetention) {
    this(maxSize, maxDelay, answerRetention, DEFAULT_ENTITY_CACHE);
  }

  /** Answers kept for {@link #DEFAULT_ANSWER_RETENTION}, the {@link #DEFAULT_ENTITY_CACHE}. */
  public EpochOptions(int maxSize, Duration maxDelay) {
    this(maxSize, maxDelay, DEFAULT_ANSWER_RETENTION);
  }
}
