package io.stateweave.flink.transaction;

import static io.stateweave.flink.transaction.Bank.balance;
import static io.stateweave.flink.transaction.Bank.deposit;
import static io.stateweave.flink.transaction.Bank.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.entity.Entities;
import io.stateweave.sdk.entity.EntityType;
import io.stateweave.sdk.entity.TransactionRequest;
import io.stateweave.sdk.entity.TransactionResult;
import io.stateweave.sdk.types.Types;
import java.time.Duration;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sequencer and executor operator: when epochs close, what a checkpoint holds. */
class EpochOperatorTest {
  /** Epochs of at most three requests, closed 50 ms after their first. */
  private static final EpochOptions OPTIONS = new EpochOptions(3, Duration.ofMillis(50));

  private KeyedOneInputStreamOperatorTestHarness<String, TransactionRequest, TransactionResult>
      harness;

  private static KeyedOneInputStreamOperatorTestHarness<String, TransactionRequest, TransactionResult>
      open(OperatorSubtaskState restoreFrom) throws Exception {
    return open(OPTIONS, restoreFrom);
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, TransactionRequest, TransactionResult>
      open(EpochOptions options, OperatorSubtaskState restoreFrom) throws Exception {
    return open(Bank.PROVIDER, options, restoreFrom);
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, TransactionRequest, TransactionResult>
      open(Entities.Provider entities, EpochOptions options, OperatorSubtaskState restoreFrom)
          throws Exception {
    KeyedOneInputStreamOperatorTestHarness<String, TransactionRequest, TransactionResult> harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new EpochOperator(entities, options),
            request -> EpochOperator.KEY,
            org.apache.flink.api.common.typeinfo.Types.STRING);
    harness.setup(new ResultSerializer());
    if (restoreFrom != null) {
      harness.initializeState(restoreFrom);
    }
    harness.open();
    return harness;
  }

  private void submit(TransactionRequest... requests) throws Exception {
    for (TransactionRequest request : requests) {
      harness.processElement(new StreamRecord<>(request));
    }
  }

  @AfterEach
  void close() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void anEpochClosesWhenFullAndAnswersEachRequestInSerialOrder() throws Exception {
    harness = open(null);

    submit(deposit("d1", "x", 10), deposit("d2", "x", 5));
    assertThat(harness.extractOutputValues()).isEmpty();
    submit(balance("b", "x"));

    // the balance read x at the epoch's start, so it comes before the deposits
    assertThat(harness.extractOutputValues())
        .containsExactly(
            TransactionResult.committed("b", 3, 1, 0L),
            TransactionResult.committed("d1", 1, 2, 10L),
            TransactionResult.committed("d2", 2, 3, 15L));
  }

  @Test
  void aPartialEpochClosesItsMaximumDelayAfterItsFirstRequest() throws Exception {
    harness = open(null);
    harness.setProcessingTime(100);
    submit(deposit("d1", "x", 10));
    harness.setProcessingTime(120);
    submit(deposit("d2", "y", 1));

    // one timer per epoch, not per request
    assertThat(harness.getProcessingTimeService().getNumActiveTimers()).isOne();
    harness.setProcessingTime(149);
    assertThat(harness.extractOutputValues()).isEmpty();
    harness.setProcessingTime(150);

    assertThat(harness.extractOutputValues())
        .containsExactly(
            TransactionResult.committed("d1", 1, 1, 10L),
            TransactionResult.committed("d2", 2, 2, 1L));
  }

  @Test
  void aTimerOfAnEpochThatClosedFullDoesNotCloseTheNextOneEarly() throws Exception {
    harness = open(null);
    harness.setProcessingTime(0);
    submit(deposit("d1", "x", 10), deposit("d2", "x", 5), deposit("d3", "y", 1));
    harness.setProcessingTime(40);
    submit(deposit("d4", "y", 2));

    harness.setProcessingTime(89);
    assertThat(harness.extractOutputValues()).hasSize(3);
    harness.setProcessingTime(90);
    assertThat(harness.extractOutputValues()).last().isEqualTo(TransactionResult.committed("d4", 4, 4, 3L));
  }

  @Test
  void theEndOfTheInputClosesTheOpenEpoch() throws Exception {
    harness = open(null);
    submit(deposit("d1", "x", 10));

    harness.endInput();

    assertThat(harness.extractOutputValues())
        .containsExactly(TransactionResult.committed("d1", 1, 1, 10L));
  }

  @Test
  void aCheckpointBarrierFindsTheOpenEpochAnsweredAndARestoreNeitherLosesNorRepeatsIt()
      throws Exception {
    harness = open(null);
    harness.setProcessingTime(0);
    submit(deposit("d1", "alice", 10), deposit("d2", "bob", 5), deposit("d3", "alice", 1));
    submit(transfer("t", "alice", "bob", 4));

    harness.prepareSnapshotPreBarrier(1);
    assertThat(harness.extractOutputValues()).last().isEqualTo(TransactionResult.committed("t", 4, 4, 7L));
    OperatorSubtaskState checkpoint = harness.snapshot(1, 1);
    harness.close();

    harness = open(checkpoint);
    harness.setProcessingTime(1_000);
    assertThat(harness.extractOutputValues()).isEmpty();
    // a client resubmitting t gets its answer from before the checkpoint; t does not run again
    submit(transfer("t", "alice", "bob", 4), balance("b1", "alice"), balance("b2", "bob"));

    assertThat(harness.extractOutputValues())
        .containsExactly(
            TransactionResult.committed("b1", 5, 5, 7L),
            TransactionResult.committed("b2", 6, 6, 9L),
            TransactionResult.committed("t", 4, 4, 7L));
  }

  @Test
  void aTimerClosesItsEpochUnderTheOperatorsKeyWhicheverKeyTheBackendWasLeftAt()
      throws Exception {
    harness = open(null);
    harness.setProcessingTime(0);
    submit(deposit("d1", "x", 10));
    harness.getOperator().setCurrentKey((byte) 1);
    harness.setProcessingTime(50);
    submit(deposit("d2", "x", 5), deposit("d3", "x", 1), deposit("d4", "x", 1));

    assertThat(harness.extractOutputValues())
        .containsExactly(
            TransactionResult.committed("d1", 1, 1, 10L),
            TransactionResult.committed("d2", 2, 2, 15L),
            TransactionResult.committed("d3", 3, 3, 16L),
            TransactionResult.committed("d4", 4, 4, 17L));
  }

  @Test
  void anEpochsWritesAndClearsReachTheKeyedState() throws Exception {
    TypeName name = TypeName.parse("test/register");
    EntityType<Long> register =
        EntityType.builder(name, Types.LONG)
            .function("get", (ctx, args) -> ctx.get().orElse(-1L))
            .function(
                "set",
                (ctx, args) -> {
                  ctx.put(args.getLong(0));
                  return null;
                })
            .function(
                "clear",
                (ctx, args) -> {
                  ctx.clear();
                  return null;
                })
            .build();
    // epochs of one request: each reads what the one before left in the keyed state
    harness = open(() -> Entities.of(register), new EpochOptions(1, Duration.ofMillis(50)), null);

    submit(
        TransactionRequest.of("s1", name, "set", "x", 7L),
        TransactionRequest.of("s2", name, "set", "y", 8L),
        TransactionRequest.of("c", name, "clear", "x"),
        TransactionRequest.of("gx", name, "get", "x"),
        TransactionRequest.of("gy", name, "get", "y"));

    assertThat(harness.extractOutputValues())
        .extracting(TransactionResult::value)
        .containsExactly(null, null, null, -1L, 8L);
  }

  @Test
  void aRequestIdSubmittedAgainGetsItsFirstAnswerAndRunsOnlyOnce() throws Exception {
    harness = open(null);

    submit(deposit("r1", "x", 10), deposit("r1", "x", 10), deposit("r2", "x", 1));
    submit(deposit("r1", "x", 10), balance("b", "x"), deposit("r3", "y", 0));

    TransactionResult first = TransactionResult.committed("r1", 1, 1, 10L);
    assertThat(harness.extractOutputValues())
        .containsExactly(
            first,
            TransactionResult.committed("r2", 2, 2, 11L),
            first,
            TransactionResult.committed("b", 3, 3, 11L),
            TransactionResult.committed("r3", 4, 4, 0L),
            first);
  }

  @Test
  void aRestoredOperatorAnswersARequestIdFromBeforeTheCheckpointWithoutRunningItAgain()
      throws Exception {
    harness = open(null);
    submit(deposit("r1", "x", 10), deposit("r2", "y", 1), deposit("r3", "z", 1));
    harness.prepareSnapshotPreBarrier(1);
    OperatorSubtaskState checkpoint = harness.snapshot(1, 1);
    harness.close();

    harness = open(checkpoint);
    submit(deposit("r1", "x", 10), deposit("r4", "x", 1), balance("b", "x"));

    assertThat(harness.extractOutputValues())
        .containsExactly(
            TransactionResult.committed("b", 5, 4, 10L),
            TransactionResult.committed("r4", 4, 5, 11L),
            TransactionResult.committed("r1", 1, 1, 10L));
  }

  @Test
  void anAnswerIsKeptForItsRetentionThenAResubmissionRunsAgain() throws Exception {
    harness = open(new EpochOptions(3, Duration.ofMillis(50), Duration.ofSeconds(1)), null);
    harness.setProcessingTime(0);
    submit(deposit("r1", "x", 10), deposit("r2", "y", 1), deposit("r3", "z", 1));
    harness.setProcessingTime(999);
    submit(deposit("r1", "x", 10), deposit("r4", "y", 1), deposit("r5", "z", 1));
    harness.setProcessingTime(1_000);
    submit(deposit("r2", "y", 1), deposit("r1", "x", 10), deposit("r6", "z", 1));

    assertThat(harness.extractOutputValues())
        .containsExactly(
            TransactionResult.committed("r1", 1, 1, 10L),
            TransactionResult.committed("r2", 2, 2, 1L),
            TransactionResult.committed("r3", 3, 3, 1L),
            TransactionResult.committed("r4", 4, 4, 2L),
            TransactionResult.committed("r5", 5, 5, 2L),
            TransactionResult.committed("r1", 1, 1, 10L),
            // r2 and r1 were answered at 0, r4 and r5 at 999: only the first two expired
            TransactionResult.committed("r2", 6, 6, 3L),
            TransactionResult.committed("r1", 7, 7, 20L),
            TransactionResult.committed("r6", 8, 8, 3L));
  }
}
