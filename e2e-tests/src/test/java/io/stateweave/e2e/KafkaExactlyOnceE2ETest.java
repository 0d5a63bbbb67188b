package io.stateweave.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.testinfra.flink.FlinkCluster;
import io.stateweave.testinfra.flink.JobId;
import io.stateweave.testinfra.kafka.KafkaBrokerExtension;
import java.net.URI;
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
 * Exactly-once end to end, on a real standalone cluster (JobManager and TaskManager JVMs) with a
 * real Kafka broker: the job jar, submitted with Flink's CLI, counts Kafka events per key in state
 * and writes every new count to Kafka with exactly-once delivery. While events stream in, the
 * TaskManager is SIGKILLed twice and replaced; then the job stops with a savepoint, more events
 * arrive, and it resumes from the savepoint at another parallelism. A read_committed consumer must
 * see, for every key, the counts 1..n exactly once each: nothing lost, nothing doubled, nothing
 * extra; and no JVM of the cluster may log a commit refused as fenced. The module comes in two
 * files, each given with its own {@code --module}.
 */
class KafkaExactlyOnceE2ETest {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final int KEYS = 100;
  private static final int EVENTS_BEFORE_SAVEPOINT = 3_000;
  private static final int EVENTS_AFTER_SAVEPOINT = 500;

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private final CountedEvents events = new CountedEvents(KAFKA, KEYS);

  @Test
  void countsAreExactAcrossKilledTaskManagersAndASavepoint() throws Exception {
    KAFKA.createTopic(CountedEvents.EVENTS, 2);
    KAFKA.createTopic(CountedEvents.COUNTS, 2);
    Path workDir = CountedEvents.newWorkDir();
    // the module in two files, given as two --module options to flink run
    Path functions = workDir.resolve("functions.yaml");
    Files.writeString(functions, functionsAndIngress(KAFKA.bootstrapServers()));
    Path egress = workDir.resolve("egress.yaml");
    Files.writeString(egress, egress(KAFKA.bootstrapServers()));
    List<String> args = CountedEvents.jobArgs(functions, egress);

    List<String> fencedCommits;
    try (FlinkCluster cluster = FlinkCluster.start(workDir.resolve("cluster"), 1, 2, Map.of())) {
      JobId job = cluster.submit(CountedEvents.jobJar(), CountedEvents.MAIN_CLASS, args, 2, null);
      cluster.awaitTasksRunning(job, TIMEOUT);

      // each kill lands while a chunk of events streams in at about 150 a second: the job is busy
      int chunk = EVENTS_BEFORE_SAVEPOINT / 2;
      int taskManager = 0;
      for (int kill = 1; kill <= 2; kill++) {
        int from = (kill - 1) * chunk;
        CompletableFuture<Void> producing =
            CompletableFuture.runAsync(() -> events.produce(from, chunk, 60));
        await(
            "counts to pass " + (from + 300) + " before kill " + kill,
            () -> events.counts().size() > from + 300);
        int failures = cluster.failureCount(job);
        int checkpoints = cluster.completedCheckpoints(job);
        assertThat(cluster.killTaskManager(taskManager)).as("exit code of SIGKILL").isEqualTo(137);
        assertThat(events.counts())
            .as("counts when kill %d landed: the chunk was still being counted", kill)
            .hasSizeLessThan(from + chunk);
        await("the lost TaskManager to be noticed", () -> cluster.failureCount(job) > failures);
        taskManager = cluster.startTaskManager();
        cluster.awaitTasksRunning(job, TIMEOUT);
        cluster.awaitCompletedCheckpoints(job, checkpoints + 1, TIMEOUT);
        producing.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
      await(
          "all counts before the savepoint",
          () -> events.counts().size() >= EVENTS_BEFORE_SAVEPOINT);

      String savepoint = cluster.stopWithSavepoint(job, workDir.resolve("savepoints"));
      assertThat(Path.of(URI.create(savepoint))).isDirectory();
      cluster.awaitStatus(job, "FINISHED", TIMEOUT);

      // arriving while no job runs: the resumed job reads them from the savepoint's offsets
      events.produce(EVENTS_BEFORE_SAVEPOINT, EVENTS_AFTER_SAVEPOINT, 0);
      JobId resumed =
          cluster.submit(CountedEvents.jobJar(), CountedEvents.MAIN_CLASS, args, 1, savepoint);
      cluster.awaitTasksRunning(resumed, TIMEOUT);
      int total = EVENTS_BEFORE_SAVEPOINT + EVENTS_AFTER_SAVEPOINT;
      await("all counts after resuming", () -> events.counts().size() >= total);
      Thread.sleep(3_000); // duplicates, if any, have time to show
      cluster.cancel(resumed);
      fencedCommits = cluster.logLinesContaining(CountedEvents.FENCED_COMMIT);
    }

    events.assertExactlyOnce(EVENTS_BEFORE_SAVEPOINT + EVENTS_AFTER_SAVEPOINT);
    assertThat(fencedCommits).as("commits refused as fenced (possible data loss)").isEmpty();
  }

  private static String functionsAndIngress(String bootstrap) {
    return """
           kind: io.stateweave.functions.v1/java
           spec:
             providers: [io.stateweave.examples.Examples]
           ---
           kind: io.statefun.kafka.v1/ingress
           spec:
             id: e2e/events
             address: %1$s
             consumerGroupId: e2e-counter
             startupPosition: {type: earliest}
             topics:
               - topic: events
                 valueType: io.statefun.types/string
                 targets: [example/counter]
           """
        .formatted(bootstrap);
  }

  private static String egress(String bootstrap) {
    return """
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
