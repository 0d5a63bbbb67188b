package io.stateweave.flink.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.dispatcher.DispatcherSpec;
import io.stateweave.flink.dispatcher.EgressTags;
import io.stateweave.flink.egress.CollectedEgress;
import io.stateweave.flink.egress.EgressBinder;
import io.stateweave.flink.ingress.IngressRecord;
import io.stateweave.flink.ingress.IngressRouter.BadRecordPolicy;
import io.stateweave.flink.ingress.KeepAliveSource;
import io.stateweave.flink.message.IngressRecordSerializer;
import io.stateweave.flink.module.CollectingEgressSpec;
import io.stateweave.flink.module.EmbeddedFunctionsSpec;
import io.stateweave.flink.translation.FunctionsGraph;
import io.stateweave.sdk.types.Types;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * StateFun-style smoke test: random command trees (increment, send, send after a delay, send and
 * cancel, egress) over 1,000 addresses; the job fails several times after completed checkpoints,
 * and in the end every counter value and every egress tag was written exactly once.
 */
class ExactlyOnceSmokeTest {
  private static final int ADDRESSES = 1_000;
  private static final int TREES = 1_500;
  private static final Duration PATIENCE = Duration.ofMinutes(3);

  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @TempDir Path checkpoints;

  private final CommandGenerator generator = new CommandGenerator(ADDRESSES, 42);

  @BeforeEach
  void reset() {
    CollectedEgress.clear();
    CommandFunction.FAIL_NEXT.set(false);
    CommandFunction.FAILURES.set(0);
  }

  @ParameterizedTest(name = "state backend {0}")
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void everyEffectHappensExactlyOnceDespiteFailures(String stateBackend) throws Exception {
    List<String> expected = generator.expected(TREES).records();
    JobClient job = start(2, stateBackend, null);
    try {
      for (double progress : new double[] {0.15, 0.4, 0.65}) {
        awaitRecords((int) (expected.size() * progress));
        injectFailure();
      }
      awaitRecords(expected.size());
      settle();
    } finally {
      job.cancel().get();
    }
    assertThat(CommandFunction.FAILURES).hasValue(3);
    assertExactlyOnce(expected);
  }

  @ParameterizedTest(name = "parallelism {0} -> {1}")
  @CsvSource({"2, 1", "1, 2"})
  void exactlyOnceAcrossRescalingFromASavepoint(int before, int after) throws Exception {
    List<String> expected = generator.expected(TREES).records();
    JobClient first = start(before, "hashmap", null);
    String savepoint;
    try {
      awaitRecords((int) (expected.size() * 0.4));
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
    assertThat(CollectedEgress.records(CommandFunction.EGRESS).size()).isLessThan(expected.size());

    JobClient second = start(after, "hashmap", savepoint);
    try {
      awaitRecords((int) (expected.size() * 0.7));
      injectFailure();
      awaitRecords(expected.size());
      settle();
    } finally {
      second.cancel().get();
    }
    assertExactlyOnce(expected);
  }

  private JobClient start(int parallelism, String stateBackend, String savepoint) throws Exception {
    Configuration config = new Configuration();
    config.set(StateBackendOptions.STATE_BACKEND, stateBackend);
    config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
    config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
    if (savepoint != null) {
      config.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    env.setParallelism(parallelism);
    env.enableCheckpointing(300);

    DataStream<IngressRecord> trees =
        env.fromSource(
                new DataGeneratorSource<>(
                    generator,
                    TREES,
                    RateLimiterStrategy.perSecond(400),
                    IngressRecordSerializer.TYPE_INFO),
                WatermarkStrategy.noWatermarks(),
                "command trees")
            .uid("smoke-trees")
            .setParallelism(1);
    Map<String, DataStream<IngressRecord>> ingress =
        Map.of(
            "trees",
            trees,
            "keep-alive",
            env.fromSource(new KeepAliveSource(), WatermarkStrategy.noWatermarks(), "keep alive")
                .uid("smoke-keep-alive"));

    DispatcherSpec spec =
        new DispatcherSpec(
            List.of(
                new EmbeddedFunctionsSpec(
                    List.of(
                        new EmbeddedFunctionsSpec.ClassBinding(
                            CommandFunction.TYPE.canonical(), CommandFunction.class.getName())),
                    List.of())),
            Set.of(CommandFunction.EGRESS));
    FunctionsGraph graph =
        FunctionsGraph.build(
            ingress,
            Map.of(CommandGenerator.INGRESS, List.of(CommandFunction.TYPE)),
            BadRecordPolicy.FAIL,
            spec);
    EgressBinder.bind(
        graph.functions().getSideOutput(EgressTags.of(CommandFunction.EGRESS)),
        new CollectingEgressSpec(CommandFunction.EGRESS));
    return env.executeAsync("exactly-once smoke test");
  }

  private void injectFailure() throws InterruptedException {
    int before = CommandFunction.FAILURES.get();
    CommandFunction.FAIL_NEXT.set(true);
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (CommandFunction.FAILURES.get() == before) {
      assertThat(System.nanoTime()).as("the injected failure happened").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static void awaitRecords(int count) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (CollectedEgress.records(CommandFunction.EGRESS).size() < count) {
      assertThat(System.nanoTime())
          .as("%d egress records within %s", count, PATIENCE)
          .isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  /** Gives duplicates, if the runtime produced any, time to show up. */
  private static void settle() throws InterruptedException {
    Thread.sleep(1_500);
  }

  private static void assertExactlyOnce(List<String> expected) {
    List<String> actual =
        CollectedEgress.records(CommandFunction.EGRESS).stream()
            .map(value -> Types.STRING.deserialize(value.bytes()))
            .collect(Collectors.toList());
    assertThat(actual).hasSameSizeAs(expected).containsExactlyInAnyOrderElementsOf(expected);
  }
}
