package io.stateweave.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AnswerLatenciesTest {
  private static final long MS = 1_000_000;

  @Test
  void onlyAnswersToRequestsDueInTheWindowAreMeasured() {
    AnswerLatencies latencies = new AnswerLatencies(1_000 * MS, 2_000 * MS);
    latencies.answered(999 * MS, 1_500 * MS); // the warm-up's
    latencies.answered(1_000 * MS, 1_003 * MS);
    latencies.answered(1_999 * MS, 2_100 * MS); // answered after the window: still measured
    latencies.answered(2_000 * MS, 2_001 * MS); // due after the window

    AnswerLatencies.Summary summary = latencies.summary(3);

    assertThat(summary.answers()).isEqualTo(2);
    assertThat(summary.unanswered()).isEqualTo(1);
    assertThat(summary.p50Nanos()).isEqualTo(3 * MS);
    assertThat(summary.maxNanos()).isEqualTo(101 * MS);
  }

  @Test
  void quantilesOverManyAnswersAcrossSignedNanoTimes() {
    long start = Long.MAX_VALUE - 10 * MS; // System.nanoTime may wrap within the window
    AnswerLatencies latencies = new AnswerLatencies(start, start + 20 * MS);
    for (int i = 1; i <= 100_000; i++) {
      long due = start + (i % 1_000) * 10;
      latencies.answered(due, due + i);
    }

    AnswerLatencies.Summary summary = latencies.summary(100_000);

    assertThat(summary.answers()).isEqualTo(100_000);
    assertThat(summary.unanswered()).isZero();
    assertThat(summary.p50Nanos()).isEqualTo(50_000);
    assertThat(summary.p99Nanos()).isEqualTo(99_000);
    assertThat(summary.maxNanos()).isEqualTo(100_000);
  }

  @Test
  void withoutAnswersTheLatenciesAreMinusOne() {
    AnswerLatencies.Summary summary = new AnswerLatencies(0, 1).summary(5);

    assertThat(summary.answers()).isZero();
    assertThat(summary.unanswered()).isEqualTo(5);
    assertThat(summary.p99Nanos()).isEqualTo(-1);
    assertThat(summary.maxNanos()).isEqualTo(-1);
  }

  @Test
  void anEmptyWindowIsRefused() {
    assertThatThrownBy(() -> new AnswerLatencies(5, 5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
