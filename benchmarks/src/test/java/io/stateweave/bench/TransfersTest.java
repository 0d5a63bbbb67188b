package io.stateweave.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.bench.Transfers.Distribution;
import io.stateweave.bench.Transfers.Transfer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransfersTest {
  private static List<Transfer> first(Transfers transfers, int count) {
    List<Transfer> list = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      list.add(transfers.of(i));
    }
    return list;
  }

  @Test
  void aTransferIsAFunctionOfTheSeedAndItsIndex() {
    for (Distribution distribution : Distribution.values()) {
      Transfers transfers = new Transfers(distribution, 15);
      List<Transfer> once = first(transfers, 1_000);
      assertThat(first(new Transfers(distribution, 15), 1_000)).isEqualTo(once);
      // backwards, as another source subtask might ask
      for (long i = 999; i >= 0; i--) {
        assertThat(transfers.of(i)).isEqualTo(once.get((int) i));
      }
      assertThat(first(new Transfers(distribution, 16), 1_000)).isNotEqualTo(once);
    }
  }

  @Test
  void transfersMoveOneToTenBetweenTwoDistinctAccounts() {
    for (Distribution distribution : Distribution.values()) {
      assertThat(first(new Transfers(distribution, Transfers.SEED), 100_000))
          .allSatisfy(
              t -> {
                assertThat(t.from()).isBetween(0, Addresses.COUNT - 1).isNotEqualTo(t.to());
                assertThat(t.to()).isBetween(0, Addresses.COUNT - 1);
                assertThat(t.amount()).isBetween(1L, Transfers.MAX_AMOUNT);
              });
    }
  }

  @Test
  void zipfDebitsTheHottestAccountOftenAndUniformRarely() {
    long zipfFromHottest =
        first(new Transfers(Distribution.ZIPF, Transfers.SEED), 100_000).stream()
            .filter(t -> t.from() == 0)
            .count();
    long uniformFromHottest =
        first(new Transfers(Distribution.UNIFORM, Transfers.SEED), 100_000).stream()
            .filter(t -> t.from() == 0)
            .count();
    assertThat(zipfFromHottest).isBetween(9_000L, 11_000L);
    assertThat(uniformFromHottest).isBetween(0L, 30L);
  }
}
