package io.stateweave.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.testinfra.flink.FlinkCluster;
import io.stateweave.testinfra.flink.JobId;
import io.stateweave.testinfra.kafka.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 16's proof on the standalone cluster: the seed's {@code MetricProcessor}, run by the job
 * jar from a module.yaml holding only an {@code io.stateweave.processor.v1/task}, reads JSON
 * events from Kafka and writes each record key's running total to Kafka exactly-once. While events
 * stream in at parallelism 2 the TaskManager is SIGKILLed twice and replaced; then the job stops
 * with a savepoint and resumes at parallelism 1, and stops and resumes again at 2 (2 → 1 → 2),
 * with events arriving while no job runs. After each stop and at the end a read_committed consumer
 * must see, per key and in order, exactly the totals a serial computation over the events gives.
 * Each total is the store's previous total plus the event's value, so that sequence also proves
 * the KV store held exactly the last written total at every restore: a lost or replayed record
 * would shift every later total of its key. No JVM of the cluster may log a commit refused as
 * fenced.
 */
final class ProcessorE2ETest {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String EVENTS = "metric-events";
  private static final String TOTALS = "metric-totals";
  private static final String METRIC = "user_click";
  private static final int KEYS = 50;
  private static final int MAX_EVENTS_AT_2 = 20_000;
  private static final int EVENTS_AT_1 = 400;
  private static final int EVENTS_AT_2_AGAIN = 400;

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @Test
  void runningTotalsAreExactAcrossKilledTaskManagersAndARescale2To1To2() throws Exception {
    KAFKA.createTopic(EVENTS, 2);
    KAFKA.createTopic(TOTALS, 2);
    Path workDir = CountedEvents.newWorkDir();
    Path module = workDir.resolve("module.yaml");
    Files.writeString(module, task(KAFKA.bootstrapServers()));
    List<String> args = CountedEvents.jobArgs(module);
    Path savepoints = workDir.resolve("savepoints");

    List<String> fencedCommits;
    int events;
    try (FlinkCluster cluster = FlinkCluster.start(workDir.resolve("cluster"), 1, 2, Map.of())) {
      JobId first = cluster.submit(CountedEvents.jobJar(), CountedEvents.MAIN_CLASS, args, 2, null);
      cluster.awaitTasksRunning(first, TIMEOUT);

      // about 160 events a second, streaming in until both kills are over: the restored job
      // must pick up where its checkpoint was while new events keep arriving
      AtomicBoolean killsOver = new AtomicBoolean();
      CompletableFuture<Integer> producing =
          CompletableFuture.supplyAsync(() -> produce(0, MAX_EVENTS_AT_2, 60, killsOver::get));
      int taskManager = 0;
      for (int kill = 1; kill <= 2; kill++) {
        int progress = 600 * kill;
        await("totals to pass " + progress + " before kill " + kill, () -> totals() > progress);
        assertThat(producing).as("events streaming in at kill %d", kill).isNotDone();
        int failures = cluster.failureCount(first);
        int checkpoints = cluster.completedCheckpoints(first);
        assertThat(cluster.killTaskManager(taskManager)).as("exit code of SIGKILL").isEqualTo(137);
        await("the lost TaskManager to be noticed", () -> cluster.failureCount(first) > failures);
        taskManager = cluster.startTaskManager();
        cluster.awaitTasksRunning(first, TIMEOUT);
        cluster.awaitCompletedCheckpoints(first, checkpoints + 1, TIMEOUT);
      }
      killsOver.set(true);
      events = producing.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(events).as("events before the first savepoint").isLessThan(MAX_EVENTS_AT_2);
      awaitTotalsOf(events);

      JobId job = first;
      // 2 → 1 → 2, each time with events written while no job runs: the resumed job reads them
      // from the savepoint's offsets, and adds them to the totals in the savepoint's store
      for (int[] phase : new int[][] {{1, EVENTS_AT_1}, {2, EVENTS_AT_2_AGAIN}}) {
        String savepoint = cluster.stopWithSavepoint(job, savepoints);
        cluster.awaitStatus(job, "FINISHED", TIMEOUT);
        assertSerialTotals(events);
        produce(events, phase[1], 0, () -> false);
        events += phase[1];
        job =
            cluster.submit(
                CountedEvents.jobJar(), CountedEvents.MAIN_CLASS, args, phase[0], savepoint);
        cluster.awaitTasksRunning(job, TIMEOUT);
        awaitTotalsOf(events);
      }
      Thread.sleep(3_000); // duplicates, if any, have time to show
      cluster.cancel(job);
      fencedCommits = cluster.logLinesContaining(CountedEvents.FENCED_COMMIT);
    }

    assertSerialTotals(events);
    assertThat(fencedCommits).as("commits refused as fenced (possible data loss)").isEmpty();
  }

  /** Event {@code i}: record key {@code key-<i % KEYS>}, value 1..7, so totals are not counts. */
  private static String key(int event) {
    return "key-" + event % KEYS;
  }

  private static int value(int event) {
    return event % 7 + 1;
  }

  /**
   * Produces events {@code from .. from+count}, pausing after every 10 when asked, and stops early
   * after a batch of 10 once {@code stop} says so; returns how many it produced.
   */
  private static int produce(int from, int count, long pauseMillis, BooleanSupplier stop) {
    try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
      int i = from;
      for (; i < from + count && !(i % 10 == 0 && stop.getAsBoolean()); i++) {
        producer.send(
            new ProducerRecord<>(
                EVENTS,
                key(i).getBytes(StandardCharsets.UTF_8),
                ("{\"value\": " + value(i) + "}").getBytes(StandardCharsets.UTF_8)));
        if (pauseMillis > 0 && i % 10 == 9) {
          producer.flush();
          Thread.sleep(pauseMillis);
        }
      }
      producer.flush();
      return i - from;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while producing events", e);
    }
  }

  private static int totals() {
    return KAFKA.readCommittedToEnd(TOTALS).size();
  }

  private static void awaitTotalsOf(int events) throws InterruptedException {
    await("the totals of " + events + " events", () -> totals() >= events);
  }

  /**
   * The committed totals are, per key and in order, those of events {@code 0 .. events} added up
   * one by one: the output's key is the record's, so one key's totals share a partition.
   */
  private static void assertSerialTotals(int events) {
    Map<String, List<String>> expected = new TreeMap<>();
    Map<String, Long> running = new LinkedHashMap<>();
    for (int i = 0; i < events; i++) {
      long total = running.merge(key(i), (long) value(i), Long::sum);
      expected
          .computeIfAbsent(key(i), k -> new ArrayList<>())
          .add("{\"metric\":\"" + METRIC + "\",\"total\":" + total + "}");
    }
    Map<String, List<String>> seen = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> record : KAFKA.readCommittedToEnd(TOTALS)) {
      seen.computeIfAbsent(
              new String(record.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
          .add(new String(record.value(), StandardCharsets.UTF_8));
    }
    assertThat(seen).as("running totals per key after %d events", events).isEqualTo(expected);
  }

  private static String task(String bootstrap) {
    return """
           kind: io.stateweave.processor.v1/task
           spec:
             name: e2e-metrics
             class: io.stateweave.examples.MetricProcessor
             initConfig: {metric_name: %2$s}
             inputs:
               - servers: %1$s
                 topic: %3$s
                 groupId: e2e-metrics
                 startupPosition: {type: earliest}
             outputs:
               - {servers: %1$s, topic: %4$s, transactionTimeout: 2min}
           """
        .formatted(bootstrap, METRIC, EVENTS, TOTALS);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    CountedEvents.await(what, TIMEOUT, condition);
  }
}
