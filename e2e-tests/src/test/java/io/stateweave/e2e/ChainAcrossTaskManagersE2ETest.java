package io.stateweave.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.testinfra.flink.FlinkCluster;
import io.stateweave.testinfra.flink.JobId;
import io.stateweave.testinfra.kafka.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The feedback loop across machines: on a standalone cluster of TaskManagers with one slot each,
 * every Kafka event travels a chain of eight {@code example/relay} ids, whose key groups belong to
 * different subtasks and so to different TaskManager JVMs, before {@code example/counter} counts it
 * and writes the count to Kafka exactly-once. A TaskManager is SIGKILLed while events stream in
 * and replaced; then the job stops with a savepoint and resumes at parallelism 3 on three
 * TaskManagers. A read_committed consumer must see each key's counts 1..n exactly once, before the
 * savepoint and at the end, and no JVM of the cluster may log a commit refused as fenced.
 */
final class ChainAcrossTaskManagersE2ETest {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final int KEYS = 60;
  private static final int EVENTS_BEFORE_SAVEPOINT = 1_200;
  private static final int EVENTS_AFTER_SAVEPOINT = 300;
  // The tail of the loop receives only the messages a dispatcher sends to another subtask, here
  // always in another TaskManager. (Its remote input bytes would count checkpoint barriers too.)
  private static final String FEEDBACK_VERTEX = "feedback";
  private static final String RECORDS_IN = "numRecordsIn";

  // the REST API's metrics a second old instead of ten
  private static final Map<String, String> CLUSTER_CONFIG =
      Map.of("metrics.fetcher.update-interval", "1s");

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private final CountedEvents events = new CountedEvents(KAFKA, KEYS);

  @Test
  void chainsAcrossTaskManagersCountExactlyOnceThroughAKillAndARescale() throws Exception {
    KAFKA.createTopic(CountedEvents.EVENTS, 3);
    KAFKA.createTopic(CountedEvents.COUNTS, 2);
    Path workDir = CountedEvents.newWorkDir();
    Path module = workDir.resolve("module.yaml");
    Files.writeString(module, module(KAFKA.bootstrapServers()));
    List<String> args = CountedEvents.jobArgs(module);

    List<String> fencedCommits;
    try (FlinkCluster cluster =
        FlinkCluster.start(workDir.resolve("cluster"), 2, 1, CLUSTER_CONFIG)) {
      JobId job = cluster.submit(CountedEvents.jobJar(), CountedEvents.MAIN_CLASS, args, 2, null);
      cluster.awaitTasksRunning(job, TIMEOUT);

      // about 200 events a second; the TaskManager dies after a quarter of them
      CompletableFuture<Void> producing =
          CompletableFuture.runAsync(() -> events.produce(0, EVENTS_BEFORE_SAVEPOINT, 50));
      await("counts to pass 300", () -> events.counts().size() > 300);
      cluster.awaitVertexMetricSum(job, FEEDBACK_VERTEX, RECORDS_IN, n -> n > 0, TIMEOUT);
      int failures = cluster.failureCount(job);
      int checkpoints = cluster.completedCheckpoints(job);
      assertThat(cluster.killTaskManager(1)).as("exit code of SIGKILL").isEqualTo(137);
      await("the lost TaskManager to be noticed", () -> cluster.failureCount(job) > failures);
      // a standalone cluster does not replace a TaskManager: the job needs its slot back
      cluster.startTaskManager();
      cluster.awaitTasksRunning(job, TIMEOUT);
      cluster.awaitCompletedCheckpoints(job, checkpoints + 1, TIMEOUT);
      producing.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      await(
          "all counts before the savepoint",
          () -> events.counts().size() >= EVENTS_BEFORE_SAVEPOINT);

      String savepoint = cluster.stopWithSavepoint(job, workDir.resolve("savepoints"));
      cluster.awaitStatus(job, "FINISHED", TIMEOUT);
      events.assertExactlyOnce(EVENTS_BEFORE_SAVEPOINT);

      // read by the resumed job from the savepoint's offsets, on three TaskManagers
      events.produce(EVENTS_BEFORE_SAVEPOINT, EVENTS_AFTER_SAVEPOINT, 0);
      cluster.startTaskManager();
      JobId resumed =
          cluster.submit(CountedEvents.jobJar(), CountedEvents.MAIN_CLASS, args, 3, savepoint);
      cluster.awaitTasksRunning(resumed, TIMEOUT);
      int total = EVENTS_BEFORE_SAVEPOINT + EVENTS_AFTER_SAVEPOINT;
      await("all counts after resuming", () -> events.counts().size() >= total);
      cluster.awaitVertexMetricSum(resumed, FEEDBACK_VERTEX, RECORDS_IN, n -> n > 0, TIMEOUT);
      Thread.sleep(3_000); // duplicates, if any, have time to show
      cluster.cancel(resumed);
      fencedCommits = cluster.logLinesContaining(CountedEvents.FENCED_COMMIT);
    }

    events.assertExactlyOnce(EVENTS_BEFORE_SAVEPOINT + EVENTS_AFTER_SAVEPOINT);
    assertThat(fencedCommits).as("commits refused as fenced (possible data loss)").isEmpty();
  }

  private static String module(String bootstrap) {
    return """
           kind: io.stateweave.functions.v1/java
           spec:
             providers: [io.stateweave.examples.Examples]
           ---
           kind: io.statefun.kafka.v1/ingress
           spec:
             id: e2e/events
             address: %1$s
             consumerGroupId: e2e-relay
             startupPosition: {type: earliest}
             topics:
               - topic: events
                 valueType: io.statefun.types/string
                 targets: [example/relay]
           ---
           kind: io.statefun.kafka.v1/egress
           spec:
             id: example/counts
             address: %1$s
             defaultTopic: counts
             deliverySemantic: {type: exactly-once, transactionTimeout: 2min}
           """
        .formatted(bootstrap);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    CountedEvents.await(what, TIMEOUT, condition);
  }
}
