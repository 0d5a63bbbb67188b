package io.stateweave.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ZipfTest {
  @Test
  void ranksFollowTheCumulativeWeights() {
    // weights 1, 1/2, 1/3, 1/4 over 25/12: cumulative 0.48, 0.72, 0.88, 1
    Zipf zipf = new Zipf(4, 1.0);
    assertThat(zipf.rank(0.0)).isZero();
    assertThat(zipf.rank(0.47)).isZero();
    assertThat(zipf.rank(0.481)).isEqualTo(1);
    assertThat(zipf.rank(0.71)).isEqualTo(1);
    assertThat(zipf.rank(0.73)).isEqualTo(2);
    assertThat(zipf.rank(0.89)).isEqualTo(3);
    assertThat(zipf.rank(Math.nextDown(1.0))).isEqualTo(3);
  }

  @Test
  void exponentZeroIsUniform() {
    Zipf zipf = new Zipf(4, 0);
    assertThat(zipf.rank(0.24)).isZero();
    assertThat(zipf.rank(0.26)).isEqualTo(1);
    assertThat(zipf.rank(0.51)).isEqualTo(2);
    assertThat(zipf.rank(0.76)).isEqualTo(3);
  }

  @Test
  void atZeroPointNineNineOverTenThousandRanksTheFrequenciesDecrease() {
    Zipf zipf = new Zipf(Addresses.COUNT, Transfers.ZIPF_EXPONENT);
    int[] counts = new int[Addresses.COUNT];
    long random = 1;
    int samples = 1_000_000;
    for (int i = 0; i < samples; i++) {
      random = Addresses.mix(random);
      counts[zipf.rank(Zipf.unit(random))]++;
    }
    // rank 1 of 10,000 at 0.99 has weight 1 / H(10,000, 0.99), about 0.1 of all draws
    assertThat(counts[0] / (double) samples).isBetween(0.095, 0.108);
    assertThat(counts[0]).isGreaterThan(counts[1]);
    assertThat(counts[1]).isGreaterThan(counts[2]);
    assertThat(counts[2]).isGreaterThan(counts[9]);
    assertThat(counts[9]).isGreaterThan(counts[99]);
    assertThat(counts[99]).isGreaterThan(counts[999] + counts[9999]);
  }

  @Test
  void unitMapsBitsIntoTheHalfOpenInterval() {
    assertThat(Zipf.unit(0)).isZero();
    assertThat(Zipf.unit(-1L)).isEqualTo(Math.nextDown(1.0));
    assertThat(Zipf.unit(1L << 63)).isEqualTo(0.5);
  }

  @Test
  void rejectsWhatIsNoDistribution() {
    assertThatThrownBy(() -> new Zipf(0, 0.99)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Zipf(10, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Zipf(10, 0.99).rank(1.0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
