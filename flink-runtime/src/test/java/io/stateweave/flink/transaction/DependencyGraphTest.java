package io.stateweave.flink.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.transaction.DependencyGraph.Committed;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checker itself: it must accept serial histories and find the classic anomalies. */
class DependencyGraphTest {

  @Test
  void aSerialHistoryHasNoCycle() {
    assertThat(
            new DependencyGraph(
                    List.of(
                        new Committed(1, Map.of("x", 0L, "y", 0L)),
                        new Committed(2, Map.of("x", 1L, "z", 0L)),
                        new Committed(3, Map.of("y", 1L, "z", 2L))))
                .cyclic())
        .isEmpty();
  }

  @Test
  void aLostUpdateIsACycle() {
    assertThat(
            new DependencyGraph(
                    List.of(
                        new Committed(1, Map.of("x", 0L, "y", 0L)),
                        new Committed(2, Map.of("x", 0L, "z", 0L))))
                .cyclic())
        .containsExactlyInAnyOrder(1L, 2L);
  }

  @Test
  void twoTransactionsThatReadEachOthersWritesAreACycle() {
    assertThat(
            new DependencyGraph(
                    List.of(
                        new Committed(1, Map.of("x", 0L, "y", 2L)),
                        new Committed(2, Map.of("y", 0L, "x", 1L)),
                        new Committed(3, Map.of("z", 0L, "w", 0L))))
                .cyclic())
        .containsExactlyInAnyOrder(1L, 2L);
  }
}
