package io.stateweave.flink.transaction;

import static io.stateweave.flink.transaction.Bank.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.egress.CollectedEgress;
import io.stateweave.flink.egress.EgressBinder;
import io.stateweave.flink.module.CollectingEgressSpec;
import io.stateweave.flink.testing.FailOnceAfterCheckpoint;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.entity.Entities;
import io.stateweave.sdk.entity.TransactionRequest;
import io.stateweave.sdk.entity.TransactionResult;
import io.stateweave.sdk.testing.EntityTestHarness;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The bank on a MiniCluster at parallelism 2: 1,000 accounts get 100 each, then 50,000 random
 * transfers run concurrently with 500 totals of the bank (each a scan of every account), then every
 * balance is read. Every answer must equal what a serial
 * replay of all requests in the reported order gives, also with a failure injected, and across a
 * savepoint resumed at another parallelism.
 */
class BankJobTest {
  private static final int ACCOUNTS = 1_000;
  private static final int TRANSFERS = 50_000;
  /** Every 101st request after the deposits is a total, 500 in all among the transfers. */
  private static final int TOTALS = 500;
  private static final int MIXED = TRANSFERS + TOTALS;
  private static final int REQUESTS = ACCOUNTS + MIXED + ACCOUNTS;
  private static final long INITIAL_BALANCE = 100;
  private static final TypeName RESULTS = TypeName.parse("bank.test/results");
  private static final Duration PATIENCE = Duration.ofMinutes(3);

  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @TempDir Path checkpoints;

  @BeforeEach
  void reset() {
    CollectedEgress.clear();
    FailOnceAfterCheckpoint.reset();
  }

  /**
   * Request {@code index}: deposits, then transfers (some larger than any balance) and totals, then
   * reads.
   */
  static TransactionRequest request(long index) {
    String id = "r" + index;
    if (index < ACCOUNTS) {
      return Bank.deposit(id, "a" + index, INITIAL_BALANCE);
    }
    if (index < ACCOUNTS + MIXED) {
      if ((index - ACCOUNTS) % 101 == 100) {
        return Bank.total(id);
      }
      SplittableRandom random = new SplittableRandom(index);
      return Bank.transfer(
          id, "a" + random.nextInt(ACCOUNTS), "a" + random.nextInt(ACCOUNTS), 1 + random.nextInt(150));
    }
    return Bank.balance(id, "a" + (index - ACCOUNTS - MIXED));
  }

  @ParameterizedTest(name = "{0}, failure injected: {1}")
  @CsvSource({"hashmap, false", "hashmap, true", "rocksdb, true"})
  void everyRequestIsAnsweredOnceAsASerialReplayInTheReportedOrderAnswersIt(
      String stateBackend, boolean injectFailure) throws Exception {
    awaitEnd(start(stateBackend, injectFailure, 2, null));
    assertThat(FailOnceAfterCheckpoint.failed()).isEqualTo(injectFailure);
    assertSerialReplayAnswersEveryRequest();
  }

  @ParameterizedTest(name = "parallelism {0} -> {1}")
  @CsvSource({"2, 1", "1, 2"})
  void aSavepointResumesAtAnotherParallelismLosingAndRepeatingNothing(int before, int after)
      throws Exception {
    JobClient first = start("hashmap", false, before, null);
    String savepoint;
    try {
      awaitResults(REQUESTS / 3);
      savepoint =
          first
              .stopWithSavepoint(
                  false,
                  checkpoints.resolve("savepoints").toUri().toString(),
                  SavepointFormatType.CANONICAL)
              .get();
    } catch (Exception e) {
      first.cancel().get();
      throw e;
    }
    assertThat(CollectedEgress.size(RESULTS)).isLessThan(REQUESTS);

    awaitEnd(start("hashmap", false, after, savepoint));
    assertSerialReplayAnswersEveryRequest();
  }

  private static void assertSerialReplayAnswersEveryRequest() throws IOException {
    List<TransactionResult> results = new ArrayList<>();
    for (TypedValue value : CollectedEgress.records(RESULTS)) {
      results.add(decode(value.bytes()));
    }
    assertThat(results).hasSize(REQUESTS);
    assertThat(results.stream().map(TransactionResult::requestId).distinct().count())
        .isEqualTo(REQUESTS);
    results.sort(Comparator.comparingLong(TransactionResult::sequence));
    assertThat(results.stream().map(TransactionResult::sequence).toList())
        .isEqualTo(LongStream.rangeClosed(1, REQUESTS).boxed().toList());

    EntityTestHarness serial = EntityTestHarness.forEntities(Entities.of(ACCOUNT));
    List<String> different = new ArrayList<>();
    for (TransactionResult result : results) {
      long index = Long.parseLong(result.requestId().substring(1));
      TransactionResult replayed = serial.run(request(index));
      if (!replayed.sameOutcome(result)) {
        different.add(result + " replayed as " + replayed);
      }
    }
    assertThat(different).isEmpty();

    long total = 0;
    for (int i = 0; i < ACCOUNTS; i++) {
      long balance = serial.state(ACCOUNT, "a" + i).orElse(0L);
      assertThat(balance).as("balance of a%d", i).isNotNegative();
      total += balance;
    }
    assertThat(total).isEqualTo(ACCOUNTS * INITIAL_BALANCE);
    assertThat(results)
        .filteredOn(r -> !r.committed())
        .allMatch(r -> r.errorMessage().startsWith("insufficient funds in a"))
        .hasSizeGreaterThan(100);
    assertThat(results).filteredOn(TransactionResult::committed).hasSizeGreaterThan(TRANSFERS / 2);
    // the totals ran among the transfers, after the deposits began (the replay checked each sum)
    assertThat(results)
        .filteredOn(r -> request(Long.parseLong(r.requestId().substring(1))).function().equals("total"))
        .hasSize(TOTALS)
        .allMatch(TransactionResult::committed)
        .anyMatch(r -> r.value().equals(ACCOUNTS * INITIAL_BALANCE));
    // a transaction the fallback phase ran has a place in the order its id does not give it
    assertThat(results).filteredOn(r -> r.sequence() != r.transactionId()).isNotEmpty();
  }

  private JobClient start(
      String stateBackend, boolean injectFailure, int parallelism, String savepoint)
      throws Exception {
    Configuration config = new Configuration();
    config.set(StateBackendOptions.STATE_BACKEND, stateBackend);
    config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
    config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
    if (savepoint != null) {
      config.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    env.setParallelism(parallelism);
    env.enableCheckpointing(300);

    DataStream<TransactionRequest> requests =
        env.fromSource(
                new DataGeneratorSource<>(
                    (GeneratorFunction<Long, TransactionRequest>) BankJobTest::request,
                    REQUESTS,
                    RateLimiterStrategy.perSecond(10_000),
                    Transactions.REQUEST_TYPE),
                WatermarkStrategy.noWatermarks(),
                "bank requests")
            .uid("bank-requests");
    if (injectFailure) {
      requests =
          requests.map(new FailOnceAfterCheckpoint<>(), Transactions.REQUEST_TYPE).uid("failure");
    }
    DataStream<TypedValue> results =
        Transactions.execute(requests, Bank.PROVIDER, new EpochOptions(500, Duration.ofMillis(20)))
            .map(result -> TypedValue.ofBytes(RESULTS, encode(result)))
            .uid("encode-results");
    EgressBinder.bind(results, new CollectingEgressSpec(RESULTS));
    return env.executeAsync("bank");
  }

  /** The requests are bounded, so the job ends: its last checkpoint commits every answer. */
  private static void awaitEnd(JobClient job) throws Exception {
    try {
      job.getJobExecutionResult().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      job.cancel().get();
      throw e;
    }
  }

  private static void awaitResults(int count) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (CollectedEgress.size(RESULTS) < count) {
      assertThat(System.nanoTime())
          .as("%d results within %s", count, PATIENCE)
          .isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static byte[] encode(TransactionResult result) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      result.write(new DataOutputStream(bytes));
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static TransactionResult decode(byte[] bytes) throws IOException {
    return TransactionResult.read(new DataInputStream(new ByteArrayInputStream(bytes)));
  }
}
