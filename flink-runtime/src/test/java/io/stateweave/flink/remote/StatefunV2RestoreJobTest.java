package io.stateweave.flink.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.stateweave.flink.dispatcher.ModuleJobs;
import io.stateweave.flink.egress.CollectedEgress;
import io.stateweave.flink.remote.v2.examples.Count;
import io.stateweave.flink.testing.Jobs;
import io.stateweave.sdk.TypeName;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A job fails while a call of a StateFun 2.x function is in flight and restores from a checkpoint
 * taken meanwhile: as for 3.x calls, the checkpoint holds the call's messages, the call is made
 * once more, with the state as it was, and its effects happen once.
 */
final class StatefunV2RestoreJobTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static final TypeName OUT = TypeName.parse(SeedFunctionsV2.OUT);

  /** When the first call reached the function; 0 before. */
  static final AtomicLong SLOW_SINCE = new AtomicLong();

  @Test
  void aV2CallInFlightAtTheCheckpointIsMadeAgainAfterTheRestoreAndTakesEffectOnce(
      @InjectMiniCluster MiniCluster cluster) throws Exception {
    CollectedEgress.clear();
    AtomicInteger calls = new AtomicInteger();
    PythonSdkV2 functions =
        PythonSdkV2.functions()
            .bind(
                "v2/counter",
                (context, message) -> {
                  if (calls.incrementAndGet() == 1) {
                    SLOW_SINCE.set(System.nanoTime());
                    Thread.sleep(3000); // checkpoints complete meanwhile, then the bomb goes off
                  }
                  Any state = context.get("count");
                  int count = state == null ? 1 : state.unpack(Count.class).getValue() + 1;
                  context.set("count", Any.pack(Count.newBuilder().setValue(count).build()));
                  SeedFunctionsV2.out(context, context.address().getId(), "n=" + count);
                });
    try (PythonSdkV2Server server = PythonSdkV2Server.start(functions)) {
      Map<String, String> files = new LinkedHashMap<>();
      files.put(
          "statefun-2.0/module.yaml",
          """
          version: "1.0"
          module:
            meta: {type: remote}
            spec:
              functions:
                - function:
                    meta: {kind: http, type: v2/counter}
                    spec: {endpoint: %s, states: [count]}
          """
              .formatted(server.url("/statefun")));
      files.put(
          "stateweave.yaml",
          """
          kind: io.stateweave.functions.v1/java
          spec:
            functions:
              - {type: test/bomb, class: %s}
          ---
          kind: io.stateweave.ingress.v1/generator
          spec:
            id: test/in
            targets: [v2/counter]
            records: [{id: c, value: once}]
            count: 1
          ---
          kind: io.stateweave.ingress.v1/generator
          spec:
            id: test/ticks
            targets: [test/bomb]
            records: [{id: t, value: tick}]
            ratePerSecond: 20
          ---
          kind: io.stateweave.egress.v1/collecting
          spec:
            id: test/out
          """
              .formatted(Bomb.class.getName()));
      Configuration conf = new Configuration();
      conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
      conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
      conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
      JobClient job = ModuleJobs.start(files, conf, 2);
      try {
        List<String> out = StatefunV2JobTest.await(OUT, 1, StatefunV2JobTest::greeting);
        Thread.sleep(1000); // a second effect would show up by now
        assertThat(out).containsExactly("c: n=1");
        assertThat(CollectedEgress.records(OUT)).hasSize(1);
        assertThat(Bomb.THROWN).isTrue();
        assertThat(Jobs.restoredCheckpoints(cluster, job.getJobID())).isPositive();
      } finally {
        job.cancel().get();
      }
      // the first call, whose answer the failure lost, and the one made again after the restore
      assertThat(calls).hasValue(2);
    } finally {
      CollectedEgress.clear();
    }
  }

  /** Fails its task once, a while after the slow call reached the function. */
  public static final class Bomb implements io.stateweave.sdk.StatefulFunction {
    static final AtomicBoolean THROWN = new AtomicBoolean();

    @Override
    public void invoke(io.stateweave.sdk.Context context, io.stateweave.sdk.Message message) {
      long since = SLOW_SINCE.get();
      if (since != 0
          && System.nanoTime() - since > Duration.ofMillis(1000).toNanos()
          && THROWN.compareAndSet(false, true)) {
        throw new IllegalStateException("injected failure while a 2.x call is in flight");
      }
    }
  }
}
