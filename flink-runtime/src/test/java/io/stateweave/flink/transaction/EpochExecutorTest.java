package io.stateweave.flink.transaction;

import static io.stateweave.flink.transaction.Bank.ACCOUNT;
import static io.stateweave.flink.transaction.Bank.ACCOUNT_NAME;
import static io.stateweave.flink.transaction.Bank.balance;
import static io.stateweave.flink.transaction.Bank.deposit;
import static io.stateweave.flink.transaction.Bank.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.entity.Entities;
import io.stateweave.sdk.entity.EntityType;
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
  private static final TypeName CELL_NAME = TypeName.parse("test/cell");

  /**
   * Cells holding a long, whose functions read a key without writing it or write one without
   * reading it: the cases the bank's read-and-write functions cannot make; and YCSB-T's.
   */
  private static final EntityType<Long> CELL =
      EntityType.builder(CELL_NAME, Types.LONG)
          .function("get", (ctx, args) -> ctx.get().orElse(0L))
          .function(
              "set",
              (ctx, args) -> {
                ctx.put(args.getLong(0));
                return args.getLong(0);
              })
          .function(
              "swap",
              (ctx, args) -> {
                long read = ctx.get().orElse(0L);
                ctx.put(args.getLong(0));
                return read;
              })
          .function(
              "readBothWriteBoth",
              (ctx, args) -> {
                long other =
                    ctx.callAsync(CELL_NAME, "swap", args.getString(0), args.getLong(1)).getLong();
                long mine = ctx.get().orElse(0L);
                ctx.put(args.getLong(1));
                return List.of(mine, other);
              })
          .function(
              "readBothWriteOther",
              (ctx, args) -> {
                long mine = ctx.get().orElse(0L);
                long other =
                    ctx.callAsync(CELL_NAME, "swap", args.getString(0), args.getLong(1)).getLong();
                return List.of(mine, other);
              })
          .function(
              "copyByReading",
              (ctx, args) -> {
                long value = ctx.read(EpochExecutorTest.CELL, args.getString(0)).orElse(0L);
                ctx.put(value);
                return value;
              })
          .function("sum", (ctx, args) -> sum(ctx.scan(EpochExecutorTest.CELL)))
          .function(
              "sumInto",
              (ctx, args) -> {
                long sum = sum(ctx.scan(EpochExecutorTest.CELL));
                ctx.put(sum % 1_000);
                return sum;
              })
          .function(
              "copy",
              (ctx, args) -> {
                long value = ctx.callAsync(CELL_NAME, "get", args.getString(0)).getLong();
                ctx.put(value);
                return value;
              })
          .build();

  private static long sum(Map<String, Long> cells) {
    return cells.values().stream().mapToLong(Long::longValue).sum();
  }

  private final RecordingStore store = new RecordingStore();
  private final Map<StateKey, byte[]> state = store.state;
  private final EpochExecutor executor = new EpochExecutor(Entities.of(ACCOUNT));

  private void setBalance(String account, long balance) {
    state.put(new StateKey(ACCOUNT_NAME, account), Types.LONG.serialize(balance));
  }

  private Long balanceOf(String account) {
    byte[] bytes = state.get(new StateKey(ACCOUNT_NAME, account));
    return bytes == null ? null : Types.LONG.deserialize(bytes);
  }

  private void setCell(String key, long value) {
    state.put(new StateKey(CELL_NAME, key), Types.LONG.serialize(value));
  }

  private Long cellOf(String key) {
    byte[] bytes = state.get(new StateKey(CELL_NAME, key));
    return bytes == null ? null : Types.LONG.deserialize(bytes);
  }

  private static TransactionRequest cell(
      String requestId, String function, String key, Object... args) {
    return TransactionRequest.of(requestId, CELL_NAME, function, key, args);
  }

  private List<TransactionResult> runCells(TransactionRequest... requests) {
    List<EpochExecutor.Sequenced> epoch = new ArrayList<>();
    for (int i = 0; i < requests.length; i++) {
      epoch.add(new EpochExecutor.Sequenced(10 + i, requests[i]));
    }
    return new EpochExecutor(Entities.of(CELL)).run(epoch, store, 1);
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
  void fallbackRunsSeeTheBatchsCommitsAndTheEarlierFallbackRuns() {
    setBalance("x", 1);

    // d2 and d3 lost to d1 in the batch; d3 must see d2's deposit as well as d1's
    assertThat(run(1, deposit("d1", "x", 10), deposit("d2", "x", 5), deposit("d3", "x", 2)))
        .containsExactly(
            TransactionResult.committed("d1", 10, 1, 11L),
            TransactionResult.committed("d2", 11, 2, 16L),
            TransactionResult.committed("d3", 12, 3, 18L));
    assertThat(balanceOf("x")).isEqualTo(18L);
  }

  @Test
  void anEpochsReservationsDoNotOutliveIt() {
    executor.run(List.of(new EpochExecutor.Sequenced(1, deposit("d1", "x", 1))), store, 1);

    // x's writer of the epoch before must not send d2 to the fallback, behind d3
    assertThat(
            executor.run(
                List.of(
                    new EpochExecutor.Sequenced(2, deposit("d2", "x", 1)),
                    new EpochExecutor.Sequenced(3, deposit("d3", "y", 1))),
                store,
                2))
        .containsExactly(
            TransactionResult.committed("d2", 2, 2, 2L),
            TransactionResult.committed("d3", 3, 3, 1L));
  }

  @Test
  void anEpochsReadReservationsDoNotOutliveIt() {
    EpochExecutor cells = new EpochExecutor(Entities.of(CELL));
    cells.run(List.of(new EpochExecutor.Sequenced(1, cell("g", "get", "x"))), store, 1);

    // x's reader of the epoch before must not make c's write of x a write-after-read
    assertThat(
            cells.run(
                List.of(
                    new EpochExecutor.Sequenced(2, cell("s", "set", "y", 5L)),
                    new EpochExecutor.Sequenced(3, cell("c", "copyByReading", "x", "y"))),
                store,
                2))
        .containsExactly(
            TransactionResult.committed("c", 3, 2, 0L),
            TransactionResult.committed("s", 2, 3, 5L));
  }

  @Test
  void anEpochReadsEachKeyFromTheStoreOnceAndWritesItOnce() {
    setBalance("alice", 100);

    run(
        1,
        transfer("t1", "alice", "bob", 10),
        transfer("t2", "alice", "bob", 20),
        balance("b", "bob"),
        deposit("d", "carol", 1));

    assertThat(store.reads)
        .containsExactlyInAnyOrder(
            new StateKey(ACCOUNT_NAME, "alice"),
            new StateKey(ACCOUNT_NAME, "bob"),
            new StateKey(ACCOUNT_NAME, "carol"));
    assertThat(store.writes).containsExactlyInAnyOrderElementsOf(store.reads);
    assertThat(balanceOf("alice")).isEqualTo(70L);
    assertThat(balanceOf("bob")).isEqualTo(30L);
  }

  @Test
  void aReadAfterAnEarlierWriteWithoutAWriteAfterReadCommitsBeforeTheWriter() {
    setBalance("alice", 100);
    setBalance("bob", 5);

    // the balance read bob before the transfer's deposit: in the serial order it comes first
    assertThat(run(4, transfer("t", "alice", "bob", 30), balance("b", "bob")))
        .containsExactly(
            TransactionResult.committed("b", 11, 4, 5L),
            TransactionResult.committed("t", 10, 5, 70L));
    assertThat(balanceOf("bob")).isEqualTo(35L);
  }

  @Test
  void aReadAfterWriteTogetherWithAWriteAfterReadGoesToTheFallback() {
    setCell("x", 1);
    setCell("y", 2);

    // committing both would swap x and y, which no serial order of the two does
    assertThat(
            runCells(
                cell("xy", "copy", "x", "y"), // x := y
                cell("yx", "copy", "y", "x"))) // y := x
        .containsExactly(
            TransactionResult.committed("xy", 10, 1, 2L),
            TransactionResult.committed("yx", 11, 2, 2L));
    assertThat(cellOf("x")).isEqualTo(2L);
    assertThat(cellOf("y")).isEqualTo(2L);
  }

  @Test
  void aPointReadOfAnotherEntityIsReservedLikeAGet() {
    setCell("x", 1);
    setCell("y", 2);

    // as with calls to get: x := y commits, y := x read x after x's writer and wrote what it read
    assertThat(
            runCells(
                cell("xy", "copyByReading", "x", "y"),
                cell("yx", "copyByReading", "y", "x"),
                cell("z", "copyByReading", "z", "x")))
        .containsExactly(
            TransactionResult.committed("z", 12, 1, 1L),
            TransactionResult.committed("xy", 10, 2, 2L),
            TransactionResult.committed("yx", 11, 3, 2L));
    assertThat(cellOf("x")).isEqualTo(2L);
    assertThat(cellOf("y")).isEqualTo(2L);
    assertThat(cellOf("z")).isEqualTo(1L);
  }

  @Test
  void transactionsMovedAheadOfTheirWritersAreOrderedByDependencyThenById() {
    setCell("x", 1);

    // y := x reads what set wrote, w := y reads what that wrote: w := y, y := x, set x
    assertThat(
            runCells(
                cell("set", "set", "x", 5L),
                cell("yx", "copy", "y", "x"),
                cell("z", "get", "z"),
                cell("wy", "copy", "w", "y")))
        .containsExactly(
            TransactionResult.committed("z", 12, 1, 0L),
            TransactionResult.committed("wy", 13, 2, 0L),
            TransactionResult.committed("yx", 11, 3, 1L),
            TransactionResult.committed("set", 10, 4, 5L));
    assertThat(cellOf("x")).isEqualTo(5L);
    assertThat(cellOf("y")).isEqualTo(1L);
    assertThat(cellOf("w")).isEqualTo(0L);
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
  void anAbortAfterAStaleReadIsFinalWhenItCanBeOrderedBeforeTheWriter() {
    setBalance("alice", 10);

    // the transfer saw alice's 10 and threw before writing her: true of the order t, d
    assertThat(run(1, deposit("d", "alice", 50), transfer("t", "alice", "bob", 30)))
        .containsExactly(
            TransactionResult.aborted(
                "t", 11, 1, "java.lang.IllegalStateException", "insufficient funds in alice: 10 < 30"),
            TransactionResult.committed("d", 10, 2, 60L));
    assertThat(balanceOf("alice")).isEqualTo(60L);
    assertThat(balanceOf("bob")).isNull();
  }

  @Test
  void anAbortAfterAStaleReadThatCannotBeOrderedBeforeTheWriterRunsAgainInTheFallback() {
    setBalance("alice", 10);

    // the balance read bob before the transfer credited him, the transfer read alice before the
    // deposit: the transfer fits neither before the deposit nor after the balance
    assertThat(
            run(
                1,
                deposit("d", "alice", 50),
                balance("b", "bob"),
                transfer("t", "alice", "bob", 30)))
        .containsExactly(
            TransactionResult.committed("d", 10, 1, 60L),
            TransactionResult.committed("b", 11, 2, 0L),
            TransactionResult.committed("t", 12, 3, 30L));
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
    EntityTestHarness serial = serialReplay(Entities.of(ACCOUNT), all, results);
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

  @Test
  void aZipfianYcsbtHistoryWithReadOnlyKeysEqualsASerialReplayInSequenceOrder() {
    // each transaction reads two keys of a Zipf(0.99) popularity; half of them overwrite both,
    // the others overwrite only the second, so a read-after-write alone can move them ahead
    int keys = 1_000;
    double[] cumulative = new double[keys];
    double total = 0;
    for (int i = 0; i < keys; i++) {
      total += 1 / Math.pow(i + 1, 0.99);
      cumulative[i] = total;
    }
    Random random = new Random(11);
    EpochExecutor ycsb = new EpochExecutor(Entities.of(CELL));
    List<TransactionRequest> all = new ArrayList<>();
    List<TransactionResult> results = new ArrayList<>();
    boolean movedAhead = false;
    for (int epoch = 0; epoch < 20; epoch++) {
      List<EpochExecutor.Sequenced> requests = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int first = zipf(cumulative, random.nextDouble() * total);
        int second = zipf(cumulative, random.nextDouble() * total);
        long version = all.size() + 1;
        TransactionRequest request =
            cell(
                "r" + version,
                random.nextBoolean() ? "readBothWriteBoth" : "readBothWriteOther",
                "k" + first,
                "k" + second,
                version);
        all.add(request);
        requests.add(new EpochExecutor.Sequenced(version, request));
      }
      List<TransactionResult> answers = ycsb.run(requests, store, results.size() + 1);
      // in id order but for one step down from the batch to the fallback, unless reordered
      int stepsDown = 0;
      for (int i = 1; i < answers.size(); i++) {
        if (answers.get(i).transactionId() < answers.get(i - 1).transactionId()) {
          stepsDown++;
        }
      }
      movedAhead |= stepsDown > 1;
      results.addAll(answers);
    }

    assertThat(results).allMatch(TransactionResult::committed);
    EntityTestHarness serial = serialReplay(Entities.of(CELL), all, results);
    for (int i = 0; i < keys; i++) {
      assertThat(Optional.ofNullable(cellOf("k" + i)))
          .as("k%d", i)
          .isEqualTo(serial.state(CELL, "k" + i));
    }
    assertThat(movedAhead).as("a batch commit sequenced before a smaller id").isTrue();
  }

  /**
   * Replays the requests one by one in the order of their results' sequence numbers, asserts that
   * each outcome is the one the epochs gave, and returns the replay for its state.
   */
  private static EntityTestHarness serialReplay(
      Entities entities, List<TransactionRequest> all, List<TransactionResult> results) {
    Map<String, TransactionRequest> byId = new HashMap<>();
    all.forEach(request -> byId.put(request.requestId(), request));
    EntityTestHarness serial = EntityTestHarness.forEntities(entities);
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
    return serial;
  }

  private static int zipf(double[] cumulative, double point) {
    int index = java.util.Arrays.binarySearch(cumulative, point);
    return Math.min(index >= 0 ? index : -index - 1, cumulative.length - 1);
  }

  @Test
  void aScanBeforeAWriterOfItsTypeCommitsInTheBatchBeforeTheWriter() {
    setCell("a", 1);
    setCell("b", 2);

    assertThat(runCells(cell("r1", "sum", "s"), cell("r2", "set", "c", 5L)))
        .containsExactly(
            TransactionResult.committed("r1", 10, 1, 3L),
            TransactionResult.committed("r2", 11, 2, 5L));
  }

  @Test
  void aScanAfterAWriterOfItsTypeIsMovedBeforeTheWriter() {
    setCell("a", 1);
    setCell("b", 2);

    // the new key c is a write of the scanned type, though the scan never saw the key
    assertThat(runCells(cell("r1", "set", "c", 5L), cell("r2", "sum", "s")))
        .containsExactly(
            TransactionResult.committed("r2", 11, 1, 3L),
            TransactionResult.committed("r1", 10, 2, 5L));
  }

  @Test
  void scansThatEachWriteANewKeyOfTheirTypeRunOneAfterTheOther() {
    setCell("a", 1);
    setCell("b", 2);

    // on the epoch's start both would sum 3, a write skew through keys neither saw
    assertThat(runCells(cell("r1", "sumInto", "x"), cell("r2", "sumInto", "y")))
        .containsExactly(
            TransactionResult.committed("r1", 10, 1, 3L),
            TransactionResult.committed("r2", 11, 2, 6L));
    assertThat(cellOf("y")).isEqualTo(6L);
  }

  @Test
  void randomScansAndWritesInEpochsEqualASerialReplayInSequenceOrder() {
    Random random = new Random(5);
    EpochExecutor cells = new EpochExecutor(Entities.of(CELL));
    List<TransactionRequest> all = new ArrayList<>();
    List<TransactionResult> results = new ArrayList<>();
    for (int epoch = 0; epoch < 30; epoch++) {
      List<EpochExecutor.Sequenced> requests = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        long id = all.size() + 1;
        String key = "k" + random.nextInt(40);
        TransactionRequest request =
            switch (random.nextInt(4)) {
              case 0 -> cell("r" + id, "sum", key);
              case 1 -> cell("r" + id, "sumInto", key);
              case 2 -> cell("r" + id, "swap", key, id);
              default -> cell("r" + id, "copyByReading", key, "k" + random.nextInt(40));
            };
        all.add(request);
        requests.add(new EpochExecutor.Sequenced(id, request));
      }
      results.addAll(cells.run(requests, store, results.size() + 1));
    }

    EntityTestHarness serial = serialReplay(Entities.of(CELL), all, results);
    for (int i = 0; i < 40; i++) {
      assertThat(Optional.ofNullable(cellOf("k" + i)))
          .as("k%d", i)
          .isEqualTo(serial.state(CELL, "k" + i));
    }
  }
}
