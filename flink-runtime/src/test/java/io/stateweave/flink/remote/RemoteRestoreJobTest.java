package io.stateweave.flink.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.dispatcher.ModuleJobs;
import io.stateweave.flink.egress.CollectedEgress;
import io.stateweave.flink.testing.Jobs;
import io.stateweave.sdk.reqreply.generated.ToFunction;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.statefun.sdk.java.StatefulFunctionSpec;
import org.apache.flink.statefun.sdk.java.StatefulFunctions;
import org.apache.flink.statefun.sdk.java.TypeName;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A job fails while a call of a remote function is in flight and restores from a checkpoint taken
 * meanwhile: the checkpoint holds the call's messages, the call is made once more, and its
 * effects happen exactly once.
 */
final class RemoteRestoreJobTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static final io.stateweave.sdk.TypeName OUT = io.stateweave.sdk.TypeName.parse("test/out");

  /** When the slow call (the first with state) reached the server; 0 before. */
  static final AtomicLong SLOW_SINCE = new AtomicLong();

  @Test
  void aCallInFlightAtTheCheckpointIsMadeAgainAfterTheRestoreAndTakesEffectOnce(
      @InjectMiniCluster MiniCluster cluster) throws Exception {
    CollectedEgress.clear();
    AtomicInteger callsWithState = new AtomicInteger();
    try (SdkServer server =
        SdkServer.start(
            new StatefulFunctions()
                .withStatefulFunction(
                    StatefulFunctionSpec.builder(TypeName.typeNameFromString("remote/counter"))
                        .withValueSpec(RemoteFunctionFaultsTest.Counter.COUNT)
                        .withSupplier(RemoteFunctionFaultsTest.Counter::new)))) {
      server.fault(
          (number, request) -> {
            if (request.getInvocation().getStateCount() > 0
                && callsWithState.incrementAndGet() == 1) {
              SLOW_SINCE.set(System.nanoTime());
              Thread.sleep(3000); // checkpoints complete meanwhile, then the bomb fails the job
            }
            return null;
          });
      String module =
          """
          kind: io.statefun.endpoints.v2/http
          spec:
            functions: remote/*
            urlPathTemplate: %s
          ---
          kind: io.stateweave.functions.v1/java
          spec:
            functions:
              - {type: test/bomb, class: %s}
          ---
          kind: io.stateweave.ingress.v1/generator
          spec:
            id: test/in
            targets: [remote/counter]
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
              .formatted(server.urlPathTemplate(), Bomb.class.getName());
      Configuration conf = new Configuration();
      conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
      conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
      conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
      JobClient job = ModuleJobs.start(module, conf, 2);
      try {
        ModuleJobs.awaitTexts(OUT, "the count", texts -> !texts.isEmpty());
        Thread.sleep(1000); // a second effect would show up by now
        assertThat(ModuleJobs.texts(OUT)).containsExactly("c once n=1");
        assertThat(Bomb.THROWN).isTrue();
        assertThat(Jobs.restoredCheckpoints(cluster, job.getJobID())).isPositive();
      } finally {
        job.cancel().get();
      }
      // the original call, and the one the restored dispatcher made again, applied at once:
      // the dispatcher's snapshot holds what the function reported about its state
      assertThat(callsWithState).hasValue(2);
      assertThat(server.exchanges())
          .filteredOn(exchange -> exchange.response().hasInvocationResult())
          .extracting(
              exchange ->
                  exchange.request().getInvocation().getStateList().stream()
                      .map(ToFunction.PersistedValue::getStateName)
                      .toList())
          .containsOnly(List.of("count"));
    } finally {
      CollectedEgress.clear();
    }
  }

  /** Fails its task once, a while after the slow call reached the server. */
  public static final class Bomb implements io.stateweave.sdk.StatefulFunction {
    static final AtomicBoolean THROWN = new AtomicBoolean();

    @Override
    public void invoke(io.stateweave.sdk.Context context, io.stateweave.sdk.Message message) {
      long since = SLOW_SINCE.get();
      if (since != 0
          && System.nanoTime() - since > Duration.ofMillis(1000).toNanos()
          && THROWN.compareAndSet(false, true)) {
        throw new IllegalStateException("injected failure while a remote call is in flight");
      }
    }
  }
}
