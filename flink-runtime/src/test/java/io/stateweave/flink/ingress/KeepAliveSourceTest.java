package io.stateweave.flink.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.message.IngressRecordSerializer;
import io.stateweave.flink.module.GeneratorIngressSpec;
import io.stateweave.flink.module.GeneratorIngressSpec.Record;
import io.stateweave.flink.testing.FailOnceAfterCheckpoint;
import io.stateweave.flink.testing.Jobs;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.types.Types;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KeepAliveSourceTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String GENERATOR_VERTEX = "(generator)";

  @BeforeEach
  void reset() {
    Counted.SEEN.set(0);
    FailOnceAfterCheckpoint.reset();
  }

  @Test
  void keepsTheJobRunningAndCheckpointingAfterTheBoundedIngressFinished(
      @InjectMiniCluster MiniCluster cluster) throws Exception {
    StreamExecutionEnvironment env = checkpointedEnv();
    env.fromSource(
            new KeepAliveSource(),
            WatermarkStrategy.noWatermarks(),
            "keep-alive",
            IngressRecordSerializer.TYPE_INFO)
        .union(IngressBinder.bind(env, generator(5, 100)))
        .map(new Counted(), IngressRecordSerializer.TYPE_INFO)
        .sinkTo(new DiscardingSink<>());

    JobClient job = env.executeAsync("keep-alive");
    try {
      JobID id = job.getJobID();
      Jobs.await("the generator's records", TIMEOUT, () -> Counted.SEEN.get() == 5);
      Jobs.await(
          "the generator to finish",
          TIMEOUT,
          () -> Jobs.vertexState(cluster, id, GENERATOR_VERTEX) == ExecutionState.FINISHED);
      long checkpointsBefore = Jobs.completedCheckpoints(cluster, id);
      Jobs.await(
          "a checkpoint after the generator finished",
          TIMEOUT,
          () -> Jobs.completedCheckpoints(cluster, id) > checkpointsBefore);

      assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
      assertThat(Counted.SEEN).hasValue(5);
    } finally {
      job.cancel().get();
    }
  }

  @Test
  void survivesARestoreFromACheckpoint(@InjectMiniCluster MiniCluster cluster) throws Exception {
    StreamExecutionEnvironment env = checkpointedEnv();
    env.fromSource(
            new KeepAliveSource(),
            WatermarkStrategy.noWatermarks(),
            "keep-alive",
            IngressRecordSerializer.TYPE_INFO)
        .union(IngressBinder.bind(env, generator(20, 20)))
        .map(new FailOnceAfterCheckpoint<IngressRecord>(), IngressRecordSerializer.TYPE_INFO)
        .map(new Counted(), IngressRecordSerializer.TYPE_INFO)
        .sinkTo(new DiscardingSink<>());

    JobClient job = env.executeAsync("keep-alive with a restore");
    try {
      JobID id = job.getJobID();
      Jobs.await(
          "a restore from a checkpoint", TIMEOUT, () -> Jobs.restoredCheckpoints(cluster, id) == 1);
      Jobs.await(
          "the generator to finish",
          TIMEOUT,
          () -> Jobs.vertexState(cluster, id, GENERATOR_VERTEX) == ExecutionState.FINISHED);
      long checkpointsBefore = Jobs.completedCheckpoints(cluster, id);
      Jobs.await(
          "a checkpoint after the restore and the generator finished",
          TIMEOUT,
          () -> Jobs.completedCheckpoints(cluster, id) > checkpointsBefore);

      assertThat(FailOnceAfterCheckpoint.failed()).isTrue();
      assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
      // the counter is not part of the checkpoint: records replayed after the restore count twice
      assertThat(Counted.SEEN.get()).isGreaterThanOrEqualTo(20);
    } finally {
      job.cancel().get();
    }
  }

  private static StreamExecutionEnvironment checkpointedEnv() {
    Configuration conf = new Configuration();
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(200));
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
    StreamExecutionEnvironment env = Jobs.environment(conf);
    // the keep-alive source runs on both slots, the generator's readers too
    env.setParallelism(2);
    return env;
  }

  private static GeneratorIngressSpec generator(long count, double ratePerSecond) {
    return new GeneratorIngressSpec(
        TypeName.parse("test/bounded"),
        List.of(),
        Types.INT.typeName(),
        List.of(new Record("a", "1"), new Record("b", "2")),
        count,
        ratePerSecond);
  }

  /** Counts the records that pass, on all subtasks together. */
  private static final class Counted implements MapFunction<IngressRecord, IngressRecord> {
    static final AtomicInteger SEEN = new AtomicInteger();

    @Override
    public IngressRecord map(IngressRecord record) {
      SEEN.incrementAndGet();
      return record;
    }
  }
}
