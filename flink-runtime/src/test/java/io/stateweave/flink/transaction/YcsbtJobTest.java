package io.stateweave.flink.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.transaction.DependencyGraph.Committed;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.entity.Entities;
import io.stateweave.sdk.entity.EntityType;
import io.stateweave.sdk.entity.TransactionRequest;
import io.stateweave.sdk.entity.TransactionResult;
import io.stateweave.sdk.types.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * YCSB-T on a MiniCluster at parallelism 2: every transaction reads two keys and overwrites both
 * with its own id. The committed history's dependency graph, built from the versions each
 * transaction read, must have no cycle.
 */
class YcsbtJobTest {
  private static final int KEYS = 1_000;
  private static final int TRANSACTIONS = 20_000;
  private static final TypeName KEY = TypeName.parse("ycsb/key");

  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  /** The state of a key: the id of the transaction that wrote it last. */
  static final EntityType<Long> YCSB_KEY =
      EntityType.builder(KEY, Types.LONG)
          .function(
              "readWriteTwo",
              (ctx, args) -> {
                long other =
                    ctx.callAsync(KEY, "swap", args.getString(0), ctx.transactionId()).getLong();
                long mine = ctx.get().orElse(0L);
                ctx.put(ctx.transactionId());
                return List.of(mine, other);
              })
          .function(
              "swap",
              (ctx, args) -> {
                long read = ctx.get().orElse(0L);
                ctx.put(args.getLong(0));
                return read;
              })
          .build();

  static TransactionRequest request(long index) {
    SplittableRandom random = new SplittableRandom(index);
    int first = random.nextInt(KEYS);
    int second = (first + 1 + random.nextInt(KEYS - 1)) % KEYS;
    return TransactionRequest.of("t" + index, KEY, "readWriteTwo", "k" + first, "k" + second);
  }

  @Test
  void theCommittedHistorysDependencyGraphIsAcyclic() throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    List<TransactionResult> results = new ArrayList<>();
    try (CloseableIterator<TransactionResult> answers =
        Transactions.execute(
                env.fromSource(
                    new DataGeneratorSource<>(
                        (GeneratorFunction<Long, TransactionRequest>) YcsbtJobTest::request,
                        TRANSACTIONS,
                        RateLimiterStrategy.perSecond(10_000),
                        Transactions.REQUEST_TYPE),
                    WatermarkStrategy.noWatermarks(),
                    "ycsb-t"),
                () -> Entities.of(YCSB_KEY),
                new EpochOptions(500, Duration.ofMillis(20)))
            .executeAndCollect("ycsb-t")) {
      while (results.size() < TRANSACTIONS) {
        results.add(answers.next());
      }
    }

    List<Committed> history = new ArrayList<>();
    for (TransactionResult result : results) {
      assertThat(result.committed()).as("%s", result).isTrue();
      TransactionRequest request = request(Long.parseLong(result.requestId().substring(1)));
      List<?> read = (List<?>) result.value();
      history.add(
          new Committed(
              result.transactionId(),
              Map.of(
                  request.key(), (Long) read.get(0),
                  request.args().getString(0), (Long) read.get(1))));
    }
    assertThat(new DependencyGraph(history).cyclic()).isEmpty();
    // contention was there: some transactions ran again in the fallback phase
    assertThat(results).filteredOn(r -> r.sequence() != r.transactionId()).isNotEmpty();
  }
}
