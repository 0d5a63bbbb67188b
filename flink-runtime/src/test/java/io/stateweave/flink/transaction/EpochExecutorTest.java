package io.stateweave.flink.transaction;

import static io.stateweave.flink.transaction.Bank.ACCOUNT;
import static io.stateweave.flink.transaction.Bank.ACCOUNT_NAME;
import static io.stateweave.flink.transaction.Bank.balance;
import static io.stateweave.flink.transaction.Bank.deposit;
import static io.stateweave.flink.transaction.Bank.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.sdk.entity.Entities;
import io.stateweave.sdk.entity.StateKey;
import io.stateweave.sdk.entity.TransactionRequest;
import io.stateweave.sdk.entity.TransactionResult;
import io.stateweave.sdk.testing.EntityTestHarness;
import io.stateweave.sdk.types.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class EpochExecutorTest {
  private final Map<StateKey, byte[]> state = new HashMap<>();
  private final EpochExecutor.Store store =
      new EpochExecutor.Store() {
        @Override
        public Optional<byte[]> read(StateKey key) {
          return Optional.ofNullable(state.get(key));
        }

        @Override
        public void write(StateKey key, Optional<byte[]> value) {
          if (value.isPresent()) {
            state.put(key, value.get());
          } else {
            state.remove(key);
          }
        }
      };
  private final EpochExecutor executor = new EpochExecutor(Entities.of(ACCOUNT));

  private void setBalance(String account, long balance) {
    state.put(new StateKey(ACCOUNT_NAME, account), Types.LONG.serialize(balance));
  }

  private Long balanceOf(String account) {
    byte[] bytes = state.get(new StateKey(ACCOUNT_NAME, account));
    return bytes == null ? null : Types.LONG.deserialize(bytes);
  }

  private List<TransactionResult> run(long firstSequence, TransactionRequest... requests) {
    List<EpochExecutor.Sequenced> epoch = new ArrayList<>();
    for (int i = 0; i < requests.length; i++) {
      epoch.add(new EpochExecutor.Sequenced(10 + i, requests[i]));
    }
    return executor.run(epoch, store, firstSequence);
  }

  @Test
  void transactionsOnDisjointKeysAllCommitInTheBatchInIdOrder() {
    assertThat(run(1, deposit("a", "x", 5), deposit("b", "y", 7), deposit("c", "z", 9)))
        .containsExactly(
            TransactionResult.committed("a", 10, 1, 5L),
            TransactionResult.committed("b", 11, 2, 7L),
            TransactionResult.committed("c", 12, 3, 9L));
    assertThat(balanceOf("y")).isEqualTo(7L);
  }

  @Test
  void aWriteAfterAnEarlierWriteGoesToTheFallbackAndSeesTheEarliersWrite() {
    // d2 runs in the batch against x = 0 too, and would answer 5 if it were not re-run
    assertThat(run(1, deposit("d1", "x", 10), deposit("d2", "x", 5), deposit("d3", "y", 1)))
        .containsExactly(
            TransactionResult.committed("d1", 10, 1, 10L),
            TransactionResult.committed("d3", 12, 2, 1L),
            TransactionResult.committed("d2", 11, 3, 15L));
    assertThat(balanceOf("x")).isEqualTo(15L);
  }

  @Test
  void aReadAfterAnEarlierWriteGoesToTheFallback() {
    setBalance("alice", 100);

    assertThat(run(4, transfer("t", "alice", "bob", 30), balance("b", "bob")))
        .containsExactly(
            TransactionResult.committed("t", 10, 4, 70L),
            TransactionResult.committed("b", 11, 5, 30L));
  }

  @Test
  void aReadBeforeALaterWriteCommitsInTheBatchWithTheOldValue() {
    setBalance("bob", 3);

    assertThat(run(1, balance("b", "bob"), transfer("t", "carol", "bob", 0)))
        .containsExactly(
            TransactionResult.committed("b", 10, 1, 3L),
            TransactionResult.committed("t", 11, 2, 0L));
    assertThat(balanceOf("bob")).isEqualTo(3L);
    assertThat(balanceOf("carol")).isEqualTo(0L);
  }

  @Test
  void anAbortWithoutConflictIsFinalAndLeavesNoTrace() {
    setBalance("alice", 10);

    assertThat(run(1, transfer("t", "alice", "bob", 30)))
        .containsExactly(
            TransactionResult.aborted(
                "t", 10, 1, "java.lang.IllegalStateException", "insufficient funds in alice: 10 < 30"));
    assertThat(balanceOf("bob")).isNull();
    assertThat(balanceOf("alice")).isEqualTo(10L);
  }

  @Test
  void anAbortAfterAStaleReadIsNotFinalTheFallbackRunsItAgain() {
    setBalance("alice", 10);

    // in the batch the transfer sees alice's 10 and throws; the deposit before it gave her 60
    assertThat(run(1, deposit("d", "alice", 50), transfer("t", "alice", "bob", 30)))
        .containsExactly(
            TransactionResult.committed("d", 10, 1, 60L),
            TransactionResult.committed("t", 11, 2, 30L));
    assertThat(balanceOf("alice")).isEqualTo(30L);
    assertThat(balanceOf("bob")).isEqualTo(30L);
  }

  @Test
  void randomTransfersInEpochsEqualASerialReplayInSequenceOrder() {
    Random random = new Random(7);
    int accounts = 1_000;
    List<TransactionRequest> all = new ArrayList<>();
    List<TransactionResult> results = new ArrayList<>();
    long transactionId = 0;
    for (int epoch = 0; epoch < 40; epoch++) {
      List<EpochExecutor.Sequenced> requests = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        TransactionRequest request =
            epoch == 0 && i < 100
                ? deposit("r" + all.size(), "a" + random.nextInt(accounts), 100)
                : transfer(
                    "r" + all.size(),
                    "a" + random.nextInt(50),
                    "a" + random.nextInt(accounts),
                    1 + random.nextInt(60));
        all.add(request);
        requests.add(new EpochExecutor.Sequenced(++transactionId, request));
      }
      results.addAll(executor.run(requests, store, results.size() + 1));
    }

    assertThat(results.stream().map(TransactionResult::sequence).toList())
        .isEqualTo(LongStream.rangeClosed(1, all.size()).boxed().toList());
    assertThat(results).filteredOn(r -> !r.committed()).isNotEmpty();
    // the fallback ran: its transactions' places in the serial order are not their ids'
    assertThat(results).filteredOn(r -> r.sequence() != r.transactionId()).isNotEmpty();
    Map<String, TransactionRequest> byId = new HashMap<>();
    all.forEach(request -> byId.put(request.requestId(), request));
    EntityTestHarness serial = EntityTestHarness.forEntities(Entities.of(ACCOUNT));
    List<String> different = new ArrayList<>();
    results.stream()
        .sorted(Comparator.comparingLong(TransactionResult::sequence))
        .forEach(
            result -> {
              TransactionResult replayed = serial.run(byId.get(result.requestId()));
              if (!replayed.sameOutcome(result)) {
                different.add(result + " replayed as " + replayed);
              }
            });
    assertThat(different).isEmpty();
    Map<String, Long> balances = new HashMap<>();
    Map<String, Long> replayedBalances = new HashMap<>();
    for (int i = 0; i < accounts; i++) {
      balances.put("a" + i, balanceOf("a" + i));
      replayedBalances.put("a" + i, serial.state(ACCOUNT, "a" + i).orElse(null));
    }
    assertThat(balances).isEqualTo(replayedBalances);
    assertThat(balances.values()).allMatch(b -> b == null || b >= 0);
    assertThat(balances.values().stream().filter(b -> b != null).mapToLong(b -> b).sum())
        .isEqualTo(100 * 100);
  }
}
