package io.stateweave.sdk.entity;

import static io.stateweave.sdk.entity.Bank.ACCOUNT;
import static io.stateweave.sdk.entity.Bank.ACCOUNT_NAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.testing.EntityTestHarness;
import io.stateweave.sdk.types.Types;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntityTestHarnessTest {
  private final EntityTestHarness bank = EntityTestHarness.forEntities(Entities.of(ACCOUNT));

  @Test
  void aTransferMovesMoneyAndAnswersWithTheRootsReturnValue() {
    bank.setState(ACCOUNT, "alice", 100L);

    TransactionResult result = bank.run(ACCOUNT_NAME, "transfer", "alice", "bob", 30L);

    assertThat(result).isEqualTo(TransactionResult.committed("request-1", 1, 1, 70L));
    assertThat(bank.state(ACCOUNT, "alice")).contains(70L);
    assertThat(bank.state(ACCOUNT, "bob")).contains(30L);
  }

  @Test
  void anExceptionAbortsTheWholeCallGraphAndTheClientGetsItsClassAndMessage() {
    bank.setState(ACCOUNT, "alice", 10L);

    TransactionResult result = bank.run(ACCOUNT_NAME, "transfer", "alice", "bob", 30L);

    assertThat(result)
        .isEqualTo(
            TransactionResult.aborted(
                "request-1",
                1,
                1,
                "java.lang.IllegalStateException",
                "insufficient funds in alice: 10 < 30"));
    // bob's deposit had returned before alice's function threw: it must not be visible
    assertThat(bank.state(ACCOUNT, "bob")).isEmpty();
    assertThat(bank.state(ACCOUNT, "alice")).contains(10L);
  }

  @Test
  void aCalleesFailureAbortsTheTransactionEvenWhenTheCallerCatchesIt() {
    List<String> caught = new ArrayList<>();
    EntityType<Long> careless =
        EntityType.builder(TypeName.parse("bank/careless"), Types.LONG)
            .function(
                "pay",
                (ctx, args) -> {
                  ctx.put(1L);
                  try {
                    ctx.callAsync(ACCOUNT_NAME, "transfer", "alice", "bob", 50L).get();
                  } catch (CallFailedException e) {
                    caught.add(e.errorClass() + " / " + e.errorMessage());
                  }
                  return "paid anyway";
                })
            .build();
    EntityTestHarness harness = EntityTestHarness.forEntities(Entities.of(ACCOUNT, careless));

    TransactionResult result = harness.run(careless.name(), "pay", "c1");

    assertThat(caught)
        .containsExactly("java.lang.IllegalStateException / insufficient funds in alice: 0 < 50");
    assertThat(result.committed()).isFalse();
    assertThat(result.errorClass()).isEqualTo("java.lang.IllegalStateException");
    assertThat(result.errorMessage()).isEqualTo("insufficient funds in alice: 0 < 50");
    assertThat(harness.state(careless, "c1")).isEmpty();
    assertThat(harness.state(ACCOUNT, "bob")).isEmpty();
  }

  @Test
  void aFunctionSeesTheWritesOfCallsThatReturnedBeforeItRead() {
    EntityType<Long> twice =
        EntityType.builder(ACCOUNT_NAME, Types.LONG)
            .function("deposit", ACCOUNT.functions().get("deposit"))
            .function(
                "depositTwice",
                (ctx, args) -> {
                  ctx.callAsync(ACCOUNT_NAME, "deposit", ctx.key(), 5L).get();
                  ctx.callAsync(ACCOUNT_NAME, "deposit", ctx.key(), 7L).get();
                  return ctx.get().orElseThrow();
                })
            .build();
    EntityTestHarness harness = EntityTestHarness.forEntities(Entities.of(twice));

    assertThat(harness.run(ACCOUNT_NAME, "depositTwice", "a").value()).isEqualTo(12L);
    assertThat(harness.state(twice, "a")).contains(12L);
  }

  @Test
  void aRequestIdRunAgainGetsTheFirstResultAndDoesNotRunTwice() {
    TransactionRequest deposit = TransactionRequest.of("r1", ACCOUNT_NAME, "deposit", "a", 10L);

    TransactionResult first = bank.run(deposit);
    TransactionResult again = bank.run(deposit);

    assertThat(again).isEqualTo(first).isEqualTo(TransactionResult.committed("r1", 1, 1, 10L));
    assertThat(bank.state(ACCOUNT, "a")).contains(10L);
    assertThat(bank.results()).containsExactly(first);
  }

  @Test
  void anUnknownFunctionOrEntityTypeAbortsNamingIt() {
    assertThat(bank.run(ACCOUNT_NAME, "steal", "a"))
        .isEqualTo(
            TransactionResult.aborted(
                "request-1",
                1,
                1,
                "java.lang.IllegalArgumentException",
                "Entity type bank/account has no function 'steal' (functions: [deposit, balance,"
                    + " transfer])"));
    assertThat(bank.run(TypeName.parse("bank/vault"), "open", "v").errorMessage())
        .isEqualTo("No entity type bank/vault (known: [bank/account])");
  }

  @Test
  void aResultValuesCannotCarryAbortsNamingItsClass() {
    EntityType<Long> odd =
        EntityType.builder(ACCOUNT_NAME, Types.LONG)
            .function(
                "now",
                (ctx, args) -> {
                  ctx.put(1L);
                  return new StringBuilder("not a value");
                })
            .build();
    EntityTestHarness harness = EntityTestHarness.forEntities(Entities.of(odd));

    TransactionResult result = harness.run(ACCOUNT_NAME, "now", "a");

    assertThat(result.errorClass()).isEqualTo("java.lang.IllegalArgumentException");
    assertThat(result.errorMessage()).startsWith("A value of java.lang.StringBuilder cannot be");
    assertThat(harness.state(odd, "a")).isEmpty();
  }

  @Test
  void endlessRecursionAbortsTheTransactionInsteadOfTheRuntime() {
    EntityType<Long> loop =
        EntityType.builder(ACCOUNT_NAME, Types.LONG)
            .function(
                "again",
                (ctx, args) -> ctx.callAsync(ACCOUNT_NAME, "again", ctx.key()).get())
            .build();
    EntityTestHarness harness = EntityTestHarness.forEntities(Entities.of(loop));

    TransactionResult result = harness.run(ACCOUNT_NAME, "again", "a");

    assertThat(result.errorClass()).isEqualTo("java.lang.IllegalStateException");
    assertThat(result.errorMessage()).isEqualTo("Calls nested deeper than 200");
  }

  @Test
  void theContextGivesKeyTypeAndIds() {
    List<Object> seen = new ArrayList<>();
    EntityType<Long> probe =
        EntityType.builder(ACCOUNT_NAME, Types.LONG)
            .function(
                "probe",
                (ctx, args) -> {
                  seen.add(ctx.entityType().canonical());
                  seen.add(ctx.key());
                  seen.add(ctx.transactionId());
                  seen.add(ctx.requestId());
                  return null;
                })
            .build();
    EntityTestHarness harness = EntityTestHarness.forEntities(Entities.of(probe));
    harness.run(ACCOUNT_NAME, "probe", "x");

    harness.run(TransactionRequest.of("mine", ACCOUNT_NAME, "probe", "k"));

    assertThat(seen).containsExactly("bank/account", "x", 1L, "request-1", "bank/account", "k", 2L, "mine");
  }

  @Test
  void clearRemovesTheStateOnlyWhenTheTransactionCommits() {
    List<EntityContext<Long>> kept = new ArrayList<>();
    EntityType<Long> closing =
        EntityType.builder(ACCOUNT_NAME, Types.LONG)
            .function(
                "close",
                (ctx, args) -> {
                  ctx.clear();
                  if (args.getLong(0) > 0) {
                    throw new IllegalStateException("refused");
                  }
                  kept.add(ctx);
                  return ctx.get().isPresent();
                })
            .build();
    EntityTestHarness harness = EntityTestHarness.forEntities(Entities.of(closing));
    harness.setState(closing, "a", 5L);

    assertThat(harness.run(ACCOUNT_NAME, "close", "a", 1L).committed()).isFalse();
    assertThat(harness.state(closing, "a")).contains(5L);
    assertThat(harness.run(ACCOUNT_NAME, "close", "a", 0L).value()).isEqualTo(false);
    assertThat(harness.state(closing, "a")).isEmpty();
    // a context kept beyond its function's return refuses to be used
    assertThatThrownBy(() -> kept.get(0).put(1L))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("The context of bank/account:a is used after it returned");
  }

  @Test
  void aFunctionReadsAnotherEntitysStateWithoutCallingIt() {
    EntityType<Long> total =
        EntityType.builder(TypeName.parse("bank/total"), Types.LONG)
            .function(
                "of",
                (ctx, args) -> {
                  long sum = 0;
                  for (int i = 0; i < args.size(); i++) {
                    sum += ctx.read(ACCOUNT, args.getString(i)).orElse(0L);
                  }
                  ctx.put(sum);
                  return sum;
                })
            .build();
    EntityTestHarness harness = EntityTestHarness.forEntities(Entities.of(ACCOUNT, total));
    harness.setState(ACCOUNT, "alice", 100L);
    harness.run(ACCOUNT_NAME, "transfer", "alice", "bob", 30L);

    assertThat(harness.run(total.name(), "of", "t", "alice", "bob", "carol").value())
        .isEqualTo(100L);
    assertThat(harness.state(total, "t")).contains(100L);
    assertThat(harness.state(ACCOUNT, "carol")).isEmpty();
  }

  @Test
  void aScanSeesEveryEntityOfTheTypeWithStateAsCommitted() {
    EntityType<Long> audit =
        EntityType.builder(TypeName.parse("bank/audit"), Types.LONG)
            .function("balances", (ctx, args) -> ctx.scan(ACCOUNT).toString())
            .build();
    EntityTestHarness audited = EntityTestHarness.forEntities(Entities.of(ACCOUNT, audit));
    audited.setState(ACCOUNT, "alice", 100L);
    audited.run(ACCOUNT_NAME, "transfer", "alice", "bob", 30L);
    audited.run(ACCOUNT_NAME, "transfer", "carol", "bob", 30L); // aborts: carol has nothing

    assertThat(audited.run(audit.name(), "balances", "a").value()).isEqualTo("{alice=70, bob=30}");
  }
}
