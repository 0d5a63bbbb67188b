package io.stateweave.flink.egress;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.ingress.IngressBinder;
import io.stateweave.flink.ingress.IngressRecord;
import io.stateweave.flink.ingress.KeepAliveSource;
import io.stateweave.flink.message.IngressRecordSerializer;
import io.stateweave.flink.message.TypedValueSerializer;
import io.stateweave.flink.module.CollectingEgressSpec;
import io.stateweave.flink.module.GeneratorIngressSpec;
import io.stateweave.flink.module.GeneratorIngressSpec.Record;
import io.stateweave.flink.testing.FailOnceAfterCheckpoint;
import io.stateweave.flink.testing.Jobs;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.types.Types;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointType;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CollectingEgressTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final TypeName INGRESS = TypeName.parse("test/numbers");
  private static final TypeName EGRESS = TypeName.parse("test/collected");

  @BeforeEach
  @AfterEach
  void reset() {
    CollectedEgress.clear();
    FailOnceAfterCheckpoint.reset();
    Counted.SEEN.set(0);
  }

  @Test
  void recordsBecomeVisibleOnlyWhenTheirCheckpointCompletes(@InjectMiniCluster MiniCluster cluster)
      throws Exception {
    // no periodic checkpoints: the test triggers the one checkpoint itself
    StreamExecutionEnvironment env = Jobs.environment();
    env.setParallelism(1);
    // the keep-alive source keeps the job running, so no final checkpoint commits at its end
    DataStream<IngressRecord> ingress =
        IngressBinder.bind(env, numbers(5, 1000))
            .union(
                env.fromSource(
                    new KeepAliveSource(),
                    WatermarkStrategy.noWatermarks(),
                    "keep-alive",
                    IngressRecordSerializer.TYPE_INFO));
    EgressBinder.bind(
        ingress.map(new Counted(), TypedValueSerializer.TYPE_INFO),
        new CollectingEgressSpec(EGRESS));
    JobClient job = env.executeAsync("collecting egress, manual checkpoint");
    try {
      Jobs.await("all records at the sink", TIMEOUT, () -> Counted.SEEN.get() == 5);
      assertThat(CollectedEgress.size(EGRESS)).isZero();

      cluster.triggerCheckpoint(job.getJobID(), CheckpointType.CONFIGURED).get();
      Jobs.await("records committed", TIMEOUT, () -> CollectedEgress.size(EGRESS) == 5);

      assertThat(CollectedEgress.records(EGRESS)).containsExactlyElementsOf(values(5));
    } finally {
      job.cancel().get();
    }
  }

  @Test
  void everyRecordIsCollectedExactlyOnceAcrossAFailure(@InjectMiniCluster MiniCluster cluster)
      throws Exception {
    int count = 100;
    Configuration conf = new Configuration();
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(200));
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
    StreamExecutionEnvironment env = Jobs.environment(conf);
    env.setParallelism(2);
    DataStream<TypedValue> values =
        IngressBinder.bind(env, numbers(count, 50))
            .map(new FailOnceAfterCheckpoint<IngressRecord>(), IngressRecordSerializer.TYPE_INFO)
            .map(IngressRecord::value, TypedValueSerializer.TYPE_INFO);
    EgressBinder.bind(values, new CollectingEgressSpec(EGRESS));

    JobClient job = env.executeAsync("collecting egress, injected failure");
    job.getJobExecutionResult().get();

    assertThat(FailOnceAfterCheckpoint.failed()).isTrue();
    assertThat(Jobs.restoredCheckpoints(cluster, job.getJobID())).isEqualTo(1);
    assertThat(CollectedEgress.records(EGRESS)).containsExactlyInAnyOrderElementsOf(values(count));
  }

  /** Counts what reaches the sink, to know that the sink holds records not yet committed. */
  private static final class Counted implements MapFunction<IngressRecord, TypedValue> {
    static final AtomicInteger SEEN = new AtomicInteger();

    @Override
    public TypedValue map(IngressRecord record) {
      SEEN.incrementAndGet();
      return record.value();
    }
  }

  /** Distinct values 0..count-1, one record each. */
  private static GeneratorIngressSpec numbers(int count, double ratePerSecond) {
    List<Record> records =
        IntStream.range(0, count).mapToObj(i -> new Record("k" + i, Integer.toString(i))).toList();
    return new GeneratorIngressSpec(
        INGRESS, List.of(), Types.INT.typeName(), records, count, ratePerSecond);
  }

  private static List<TypedValue> values(int count) {
    return IntStream.range(0, count).mapToObj(TypedValue::of).toList();
  }
}
