package io.stateweave.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.sdk.types.Types;
import io.stateweave.testinfra.kafka.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The Kafka side of the end-to-end tests whose job counts events per key ({@code example/counter}
 * behind a Kafka ingress and an exactly-once Kafka egress): event {@code i} has key {@code
 * key-<i % keys>} on topic {@value #EVENTS}, and every count arrives on {@value #COUNTS} as {@code
 * "<key> <n>"}. Exactly-once means each key's counts are 1..n, each once.
 */
final class CountedEvents {
  static final String EVENTS = "events";
  static final String COUNTS = "counts";
  // the jar's Main-Class, which flink run uses when not given -c
  static final String MAIN_CLASS = "io.stateweave.jobs.Launcher";
  // KafkaCommitter's ERROR when a restored transaction cannot be committed
  static final String FENCED_COMMIT = "already fenced";

  private final KafkaBrokerExtension kafka;
  private final int keys;

  CountedEvents(KafkaBrokerExtension kafka, int keys) {
    this.kafka = kafka;
    this.keys = keys;
  }

  /** Produces events {@code from .. from+count}, pausing after every 10 when asked. */
  void produce(int from, int count, long pauseMillis) {
    try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
      for (int i = from; i < from + count; i++) {
        producer.send(
            new ProducerRecord<>(
                EVENTS,
                key(i).getBytes(StandardCharsets.UTF_8),
                Types.STRING.serialize("event " + i)));
        if (pauseMillis > 0 && i % 10 == 9) {
          producer.flush();
          Thread.sleep(pauseMillis);
        }
      }
      producer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while producing events", e);
    }
  }

  /** Every committed count so far, as a {@code read_committed} consumer sees them. */
  List<String> counts() {
    return kafka.readCommittedToEnd(COUNTS).stream()
        .map(record -> Types.STRING.deserialize(record.value()))
        .collect(Collectors.toList());
  }

  /** The committed counts are exactly those of events {@code 0 .. events}: none lost or extra. */
  void assertExactlyOnce(int events) {
    List<String> counts = counts();
    Map<String, List<Long>> byKey = new TreeMap<>();
    for (String count : counts) {
      String[] parts = count.split(" ");
      byKey.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Long.parseLong(parts[1]));
    }
    Map<String, List<Long>> expected = new TreeMap<>();
    for (int key = 0; key < Math.min(keys, events); key++) {
      long n = events / keys + (key < events % keys ? 1 : 0);
      expected.put("key-" + key, LongStream.rangeClosed(1, n).boxed().toList());
    }
    assertThat(byKey.keySet()).containsExactlyElementsOf(expected.keySet());
    // records to the default topic have no key, so a key's counts spread over partitions
    expected.forEach(
        (key, oneToN) ->
            assertThat(byKey.get(key))
                .as("counts of %s", key)
                .containsExactlyInAnyOrderElementsOf(oneToN));
    assertThat(counts).hasSize(events);
  }

  private String key(int event) {
    return "key-" + (event % keys);
  }

  /**
   * The job's arguments: each module file with its own {@code --module} (repeated as users do),
   * checkpoints every second, and restarts enough for the TaskManagers a test kills.
   */
  static List<String> jobArgs(Path... modules) {
    List<String> args = new ArrayList<>();
    for (Path module : modules) {
      args.add("--module");
      args.add(module.toString());
    }
    args.addAll(
        List.of(
            "-Dexecution.checkpointing.interval=1s",
            "-Drestart-strategy.type=fixed-delay",
            "-Drestart-strategy.fixed-delay.attempts=100",
            "-Drestart-strategy.fixed-delay.delay=1s"));
    return args;
  }

  /** A new folder under target/, so that a failed run leaves the cluster's logs behind. */
  static Path newWorkDir() throws Exception {
    Path dir =
        Path.of(
                "target",
                "e2e-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss-SSS")))
            .toAbsolutePath();
    return Files.createDirectories(dir);
  }

  static Path jobJar() {
    Path jar =
        Path.of(System.getProperty("stateweave.root", ".."))
            .resolve("jobs/target/stateweave-jobs-0.1.0-SNAPSHOT.jar");
    assertThat(jar).as("the job jar (mvn -pl jobs -am package builds it)").isRegularFile();
    return jar;
  }

  static void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(500);
    }
  }
}
