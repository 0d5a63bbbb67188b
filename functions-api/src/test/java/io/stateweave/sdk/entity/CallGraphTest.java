package io.stateweave.sdk.entity;

import static io.stateweave.sdk.entity.Bank.ACCOUNT;
import static io.stateweave.sdk.entity.Bank.ACCOUNT_NAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CallGraphTest {
  private static final StateKey ALICE = new StateKey(ACCOUNT_NAME, "alice");
  private static final StateKey BOB = new StateKey(ACCOUNT_NAME, "bob");

  private static CallGraph.Execution transfer(long aliceBalance, long amount) {
    Map<StateKey, Optional<Object>> snapshot = Map.of(ALICE, Optional.of(aliceBalance));
    return CallGraph.run(
        Entities.of(ACCOUNT),
        key -> snapshot.getOrDefault(key, Optional.empty()),
        7,
        TransactionRequest.of("r", ACCOUNT_NAME, "transfer", "alice", "bob", amount));
  }

  @Test
  void recordsWhatTheGraphReadAndTheStateItWouldWriteWithoutWritingIt() {
    CallGraph.Execution execution = transfer(100, 30);

    assertThat(execution.failed()).isFalse();
    assertThat(execution.value()).isEqualTo(70L);
    assertThat(execution.reads()).containsExactly(BOB, ALICE);
    assertThat(execution.writes())
        .containsExactly(entry(BOB, Optional.of(30L)), entry(ALICE, Optional.of(70L)));
  }

  @Test
  void anAbortedGraphStillReportsItsReadsAndWritesForReservations() {
    CallGraph.Execution execution = transfer(10, 30);

    assertThat(execution.failed()).isTrue();
    assertThat(execution.value()).isNull();
    assertThat(execution.errorClass()).isEqualTo("java.lang.IllegalStateException");
    assertThat(execution.reads()).containsExactly(BOB, ALICE);
    assertThat(execution.writes()).containsExactly(entry(BOB, Optional.of(30L)));
  }
}
