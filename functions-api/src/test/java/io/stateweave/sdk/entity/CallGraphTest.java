package io.stateweave.sdk.entity;

import static io.stateweave.sdk.entity.Bank.ACCOUNT;
import static io.stateweave.sdk.entity.Bank.ACCOUNT_NAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.types.Types;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CallGraphTest {
  private static final StateKey ALICE = new StateKey(ACCOUNT_NAME, "alice");
  private static final StateKey BOB = new StateKey(ACCOUNT_NAME, "bob");

  /** A snapshot of fixed state; the values are given to functions as they are. */
  private static CallGraph.Snapshot snapshot(Map<StateKey, ?> state) {
    return new CallGraph.Snapshot() {
      @Override
      public Optional<Object> read(StateKey key) {
        return Optional.ofNullable(state.get(key));
      }

      @Override
      public Map<String, Object> scan(TypeName entityType) {
        Map<String, Object> entities = new HashMap<>();
        state.forEach(
            (key, value) -> {
              if (key.entityType().equals(entityType)) {
                entities.put(key.key(), value);
              }
            });
        return entities;
      }
    };
  }

  private static CallGraph.Execution transfer(long aliceBalance, long amount) {
    return CallGraph.run(
        Entities.of(ACCOUNT),
        snapshot(Map.of(ALICE, aliceBalance)),
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
    CallGraph.Execution execution =
        CallGraph.run(
            Entities.of(ACCOUNT, AUDIT),
            snapshot(Map.of(ALICE, 10L, BOB, 5L)),
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
            snapshot(Map.of()),
            7,
            TransactionRequest.of("r", AUDIT.name(), "readUnknown", "a1"));

    assertThat(execution.errorClass()).isEqualTo("java.lang.IllegalArgumentException");
    assertThat(execution.errorMessage()).startsWith("No entity type bank/unknown");
    assertThat(execution.reads()).isEmpty();
  }

  /** Scans accounts and ledgers, with writes before and after, and shows what a scan saw. */
  private static final EntityType<Long> LEDGER =
      EntityType.builder(TypeName.parse("bank/ledger"), Types.LONG)
          .function(
              "depositThenScanAccounts",
              (ctx, args) -> {
                ctx.callAsync(ACCOUNT_NAME, "deposit", args.getString(0), 1L).get();
                return ctx.scan(ACCOUNT).toString();
              })
          .function(
              "putThenScanLedgers",
              (ctx, args) -> {
                ctx.put(args.getLong(0));
                return ctx.scan(ledger()).toString();
              })
          .function(
              "clearThenScanLedgers",
              (ctx, args) -> {
                ctx.clear();
                return ctx.scan(ledger()).toString();
              })
          .function("changeAScan", (ctx, args) -> ctx.scan(ACCOUNT).put("mallory", 1_000L))
          .function("scanUnknown", (ctx, args) -> ctx.scan(UNKNOWN).size())
          .build();

  /** LEDGER, which its own functions' initializers cannot name. */
  private static EntityType<Long> ledger() {
    return LEDGER;
  }

  private static CallGraph.Execution runLedger(String function, String key, Object... args) {
    return CallGraph.run(
        Entities.of(ACCOUNT, LEDGER),
        snapshot(
            Map.of(
                ALICE, 10L,
                BOB, 5L,
                new StateKey(LEDGER.name(), "a"), 1L,
                new StateKey(LEDGER.name(), "b"), 2L)),
        7,
        TransactionRequest.of("r", LEDGER.name(), function, key, args));
  }

  @Test
  void aScanSeesTheTransactionsViewInKeyOrderAndCountsAsAReadOfTheWholeType() {
    CallGraph.Execution execution = runLedger("depositThenScanAccounts", "l", "carol");

    assertThat(execution.value()).isEqualTo("{alice=10, bob=5, carol=1}");
    assertThat(execution.scans()).containsExactly(ACCOUNT_NAME);
    assertThat(execution.reads()).containsExactly(new StateKey(ACCOUNT_NAME, "carol"));
  }

  @Test
  void aScanSeesTheFunctionsOwnPutsAndClears() {
    assertThat(runLedger("putThenScanLedgers", "b", 7L).value()).isEqualTo("{a=1, b=7}");
    assertThat(runLedger("putThenScanLedgers", "c", 3L).value()).isEqualTo("{a=1, b=2, c=3}");
    assertThat(runLedger("clearThenScanLedgers", "a").value()).isEqualTo("{b=2}");
  }

  @Test
  void aScanIsReadOnlyAndOfAnUnknownTypeAbortsTheTransaction() {
    assertThat(runLedger("changeAScan", "l").errorClass())
        .isEqualTo("java.lang.UnsupportedOperationException");
    CallGraph.Execution unknown = runLedger("scanUnknown", "l");
    assertThat(unknown.errorMessage()).startsWith("No entity type bank/unknown");
    assertThat(unknown.scans()).isEmpty();
  }
}
