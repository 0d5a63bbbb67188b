package io.stateweave.examples;

import static io.stateweave.examples.BankEntities.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.sdk.entity.TransactionResult;
import io.stateweave.sdk.testing.EntityTestHarness;
import org.junit.jupiter.api.Test;

/** The example bank run serially without Flink, as a user would test their own entities. */
class BankEntitiesTest {
  private final EntityTestHarness bank =
      EntityTestHarness.forEntities(new BankEntities().entities());

  @Test
  void aTransferMovesMoneyAndAnswersTheRemainingBalance() {
    bank.run(ACCOUNT, "deposit", "alice", 100L);

    TransactionResult transfer = bank.run(ACCOUNT, "transfer", "alice", "bob", 30L);

    assertThat(transfer).isEqualTo(TransactionResult.committed("request-2", 2, 2, 70L));
    assertThat(balance("alice")).isEqualTo(70L);
    assertThat(balance("bob")).isEqualTo(30L);
  }

  @Test
  void aTransferBeyondTheBalanceAbortsAndUndoesItsCredit() {
    bank.run(ACCOUNT, "deposit", "alice", 100L);

    TransactionResult transfer = bank.run(ACCOUNT, "transfer", "alice", "bob", 101L);

    assertThat(transfer)
        .isEqualTo(
            TransactionResult.aborted(
                "request-2",
                2,
                2,
                IllegalStateException.class.getName(),
                "insufficient funds in alice: 100 < 101"));
    assertThat(balance("alice")).isEqualTo(100L);
    assertThat(balance("bob")).isEqualTo(0L);
  }

  private Object balance(String account) {
    return bank.run(ACCOUNT, "balance", account).value();
  }
}
