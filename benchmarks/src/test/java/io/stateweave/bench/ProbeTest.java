package io.stateweave.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProbeTest {
  @Test
  void quantileIsTheSmallestValueWithThatShareAtOrBelowIt() {
    long[] sorted = new long[100];
    for (int i = 0; i < sorted.length; i++) {
      sorted[i] = i + 1;
    }
    assertThat(Probe.quantile(sorted, 0.50)).isEqualTo(50);
    assertThat(Probe.quantile(sorted, 0.99)).isEqualTo(99);
    assertThat(Probe.quantile(sorted, 1.0)).isEqualTo(100);
    assertThat(Probe.quantile(sorted, 0.0)).isEqualTo(1);
    assertThat(Probe.quantile(new long[] {7, 9, 30}, 0.5)).isEqualTo(9);
    assertThat(Probe.quantile(new long[0], 0.5)).isEqualTo(-1);
  }

  @Test
  void ycsbtRequestIdsCarryTheirDueTime() {
    assertThat(YcsbtGenerators.Requests.dueNanos("42@123456789012")).isEqualTo(123456789012L);
    assertThat(YcsbtGenerators.Requests.dueNanos("0@-5")).isEqualTo(-5);
  }
}
