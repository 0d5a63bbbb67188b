package io.stateweave.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.sdk.types.Types;
import io.stateweave.testinfra.flink.FlinkCluster;
import io.stateweave.testinfra.flink.JobId;
import io.stateweave.testinfra.kafka.KafkaBrokerExtension;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exactly-once end to end, on a real standalone cluster (JobManager and TaskManager JVMs) with a
 * real Kafka broker: the job jar, submitted with Flink's CLI, counts Kafka events per key in state
 * and writes every new count to Kafka with exactly-once delivery. While events stream in, the
 * TaskManager is SIGKILLed twice and replaced; then the job stops with a savepoint, more events
 * arrive, and it resumes from the savepoint at another parallelism. A read_committed consumer must
 * see, for every key, the counts 1..n exactly once each: nothing lost, nothing doubled, nothing
 * extra; and no JVM of the cluster may log a commit refused as fenced.
 */
class KafkaExactlyOnceE2ETest {
  private static final String MAIN_CLASS = "io.stateweave.jobs.StateweaveJob";
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final int KEYS = 100;
  private static final int EVENTS_BEFORE_SAVEPOINT = 3_000;
  private static final int EVENTS_AFTER_SAVEPOINT = 500;
  // KafkaCommitter's ERROR when a restored transaction cannot be committed
  private static final String FENCED_COMMIT = "already fenced";

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @Test
  void countsAreExactAcrossKilledTaskManagersAndASavepoint() throws Exception {
    KAFKA.createTopic("events", 2);
    KAFKA.createTopic("counts", 2);
    // kept under target/ so that a failed run leaves the cluster's logs behind
    Path workDir =
        Path.of(
                "target",
                "e2e-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss-SSS")))
            .toAbsolutePath();
    Files.createDirectories(workDir);
    Path module = workDir.resolve("module.yaml");
    Files.writeString(module, module(KAFKA.bootstrapServers()));
    List<String> args =
        List.of(
            "--module",
            module.toString(),
            "-Dexecution.checkpointing.interval=1s",
            "-Drestart-strategy.type=fixed-delay",
            "-Drestart-strategy.fixed-delay.attempts=100",
            "-Drestart-strategy.fixed-delay.delay=1s");

    List<String> fencedCommits;
    try (FlinkCluster cluster = FlinkCluster.start(workDir.resolve("cluster"), 1, 2, Map.of())) {
      JobId job = cluster.submit(jobJar(), MAIN_CLASS, args, 2, null);
      cluster.awaitTasksRunning(job, TIMEOUT);

      // events stream in at about 150 a second while the TaskManager is killed twice
      AtomicReference<Throwable> producerFailure = new AtomicReference<>();
      Thread producer =
          new Thread(() -> produce(0, EVENTS_BEFORE_SAVEPOINT, 60, producerFailure), "events");
      producer.start();
      int taskManager = 0;
      for (int kill = 1; kill <= 2; kill++) {
        int progress = 600 * kill;
        await(
            "counts to pass " + progress + " before kill " + kill,
            () -> readCounts().size() > progress);
        int failures = cluster.failureCount(job);
        int checkpoints = cluster.completedCheckpoints(job);
        assertThat(cluster.killTaskManager(taskManager)).as("exit code of SIGKILL").isEqualTo(137);
        await("the lost TaskManager to be noticed", () -> cluster.failureCount(job) > failures);
        taskManager = cluster.startTaskManager();
        cluster.awaitTasksRunning(job, TIMEOUT);
        cluster.awaitCompletedCheckpoints(job, checkpoints + 1, TIMEOUT);
      }
      producer.join(TIMEOUT.toMillis());
      assertThat(producerFailure.get()).isNull();
      await(
          "all counts before the savepoint", () -> readCounts().size() >= EVENTS_BEFORE_SAVEPOINT);

      String savepoint = cluster.stopWithSavepoint(job, workDir.resolve("savepoints"));
      assertThat(Path.of(URI.create(savepoint))).isDirectory();
      cluster.awaitStatus(job, "FINISHED", TIMEOUT);

      // arriving while no job runs: the resumed job reads them from the savepoint's offsets
      produce(EVENTS_BEFORE_SAVEPOINT, EVENTS_AFTER_SAVEPOINT, 0, producerFailure);
      assertThat(producerFailure.get()).isNull();
      JobId resumed = cluster.submit(jobJar(), MAIN_CLASS, args, 1, savepoint);
      cluster.awaitTasksRunning(resumed, TIMEOUT);
      int total = EVENTS_BEFORE_SAVEPOINT + EVENTS_AFTER_SAVEPOINT;
      await("all counts after resuming", () -> readCounts().size() >= total);
      Thread.sleep(3_000); // duplicates, if any, have time to show
      cluster.cancel(resumed);
      fencedCommits = cluster.logLinesContaining(FENCED_COMMIT);
    }

    assertExactCounts(readCounts(), EVENTS_BEFORE_SAVEPOINT + EVENTS_AFTER_SAVEPOINT);
    assertThat(fencedCommits).as("commits refused as fenced (possible data loss)").isEmpty();
  }

  private static void assertExactCounts(List<String> counts, int events) {
    Map<String, List<Long>> byKey = new TreeMap<>();
    for (String count : counts) {
      String[] parts = count.split(" ");
      byKey.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Long.parseLong(parts[1]));
    }
    Map<String, Integer> expected = new HashMap<>();
    for (int i = 0; i < events; i++) {
      expected.merge(key(i), 1, Integer::sum);
    }
    assertThat(byKey.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    byKey.forEach(
        (key, values) -> {
          List<Long> oneToN = new ArrayList<>();
          for (long n = 1; n <= expected.get(key); n++) {
            oneToN.add(n);
          }
          // records to the default topic have no key, so a key's counts spread over partitions
          assertThat(values).as("counts of %s", key).containsExactlyInAnyOrderElementsOf(oneToN);
        });
    assertThat(counts).hasSize(events);
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
             consumerGroupId: e2e-counter
             startupPosition: {type: earliest}
             topics:
               - topic: events
                 valueType: io.statefun.types/string
                 targets: [example/counter]
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

  private static String key(int event) {
    return "key-" + (event % KEYS);
  }

  /** Produces events {@code from .. from+count}, pausing after every 10 when asked. */
  private static void produce(
      int from, int count, long pauseMillis, AtomicReference<Throwable> failure) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      for (int i = from; i < from + count; i++) {
        producer.send(
            new ProducerRecord<>(
                "events",
                key(i).getBytes(StandardCharsets.UTF_8),
                Types.STRING.serialize("event " + i)));
        if (pauseMillis > 0 && i % 10 == 9) {
          producer.flush();
          Thread.sleep(pauseMillis);
        }
      }
      producer.flush();
    } catch (Throwable e) {
      failure.set(e);
    }
  }

  /** Every committed count so far. */
  private static List<String> readCounts() {
    return KAFKA.readCommittedToEnd("counts").stream()
        .map(record -> Types.STRING.deserialize(record.value()))
        .collect(Collectors.toList());
  }

  private static Path jobJar() {
    Path jar =
        Path.of(System.getProperty("stateweave.root", ".."))
            .resolve("jobs/target/stateweave-jobs-0.1.0-SNAPSHOT.jar");
    assertThat(jar).as("the job jar (mvn -pl jobs -am package builds it)").isRegularFile();
    return jar;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + TIMEOUT + " waiting for " + what);
      }
      Thread.sleep(500);
    }
  }
}
