package io.stateweave.sdk.entity;

import static io.stateweave.sdk.entity.Bank.ACCOUNT;
import static io.stateweave.sdk.entity.Bank.ACCOUNT_NAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.types.Types;
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

  private static final EntityType<Long> UNKNOWN =
      EntityType.builder(TypeName.parse("bank/unknown"), Types.LONG).build();

  /** Reads accounts without calling them: the sum of the balances, after a deposit to the first. */
  private static final EntityType<Long> AUDIT =
      EntityType.builder(TypeName.parse("bank/audit"), Types.LONG)
          .function(
              "depositThenSum",
              (ctx, args) -> {
                ctx.callAsync(ACCOUNT_NAME, "deposit", args.getString(0), 1L).get();
                long sum = 0;
                for (int i = 0; i < args.size(); i++) {
                  sum += ctx.read(ACCOUNT, args.getString(i)).orElse(0L);
                }
                return sum;
              })
          .function("readUnknown", (ctx, args) -> ctx.read(UNKNOWN, "x").orElse(0L))
          .build();

  @Test
  void aReadOfAnotherEntitySeesTheTransactionsViewAndCountsAsARead() {
    Map<StateKey, Optional<Object>> snapshot =
        Map.of(ALICE, Optional.of(10L), BOB, Optional.of(5L));
    CallGraph.Execution execution =
        CallGraph.run(
            Entities.of(ACCOUNT, AUDIT),
            key -> snapshot.getOrDefault(key, Optional.empty()),
            7,
            TransactionRequest.of("r", AUDIT.name(), "depositThenSum", "a1", "alice", "bob"));

    assertThat(execution.value()).isEqualTo(16L);
    assertThat(execution.reads()).containsExactly(ALICE, BOB);
    assertThat(execution.writes()).containsExactly(entry(ALICE, Optional.of(11L)));
  }

  @Test
  void aReadOfAnEntityTypeTheTransactionDoesNotKnowAbortsIt() {
    CallGraph.Execution execution =
        CallGraph.run(
            Entities.of(ACCOUNT, AUDIT),
            key -> Optional.empty(),
            7,
            TransactionRequest.of("r", AUDIT.name(), "readUnknown", "a1"));

    assertThat(execution.errorClass()).isEqualTo("java.lang.IllegalArgumentException");
    assertThat(execution.errorMessage()).startsWith("No entity type bank/unknown");
    assertThat(execution.reads()).isEmpty();
  }
}
