package io.stateweave.flink.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.testing.Jobs;
import io.stateweave.sdk.processor.KafkaInput;
import io.stateweave.sdk.processor.KafkaOutput;
import io.stateweave.sdk.processor.ProcessorContext;
import io.stateweave.sdk.processor.StartupPosition;
import io.stateweave.sdk.processor.TaskConfig;
import io.stateweave.testinfra.kafka.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * KV stores on Flink, with either backend: scans in key order within their prefix, deletes by key
 * and by prefix, stores partitioned by record key, and all of it as it was after a restore from a
 * checkpoint (a failure comes after the first commands were checkpointed).
 */
class ProcessorStoresJobTest {
  @Order(1)
  @org.junit.jupiter.api.extension.RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @Order(2)
  @org.junit.jupiter.api.extension.RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static final AtomicBoolean ARMED = new AtomicBoolean();
  static final AtomicBoolean FAILED = new AtomicBoolean();
  static final AtomicInteger PROCESSED_WHILE_ARMED = new AtomicInteger();

  /** Fails once, on the third command after the test armed it, having run it. */
  public static final class FailingOnce extends StoreCommands {
    @Override
    public void process(ProcessorContext ctx, int sourceId, byte[] data) throws Exception {
      super.process(ctx, sourceId, data);
      if (ARMED.get()
          && PROCESSED_WHILE_ARMED.incrementAndGet() >= 3
          && FAILED.compareAndSet(false, true)) {
        throw new IllegalStateException("injected failure");
      }
    }
  }

  private static final List<String[]> BEFORE_CHECKPOINT =
      List.of(
          cmd("r1", "put g k ns b 1"),
          cmd("r1", "put g k ns a2 2"),
          cmd("r1", "put g k ns a1 3"),
          cmd("r1", "put g k ns ~ 4"),
          // neighbours of (g, k, ns) that its scans must not see
          cmd("r1", "put g k ns2 a x"),
          cmd("r1", "put g k n sa x"),
          cmd("r1", "put g kn s a x"),
          cmd("r1", "put gk ~ ns a x"),
          cmd("r1", "pput ab 5"),
          cmd("r1", "pput a 6"),
          cmd("r1", "pput b ~"),
          cmd("r2", "put g k ns z 9"),
          cmd("r1", "scan g k ns ~"),
          cmd("r1", "pscan a"),
          cmd("r2", "scan g k ns ~"));

  private static final List<String[]> AFTER_CHECKPOINT =
      List.of(
          cmd("r1", "delprefix g k ns a"),
          cmd("r1", "scan g k ns ~"),
          cmd("r1", "put g k ns a0 7"),
          cmd("r1", "scan g k ns a"),
          cmd("r1", "get b"),
          cmd("r1", "get c"),
          cmd("r1", "del g k ns b"),
          cmd("r1", "scan g k ns ~"),
          cmd("r1", "scan g k ns2 ~"),
          cmd("r1", "pscan ~"),
          cmd("r2", "scan g k ns ~"));

  @ParameterizedTest(name = "state backend {0}")
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void scansSeeTheirPrefixInKeyOrderAlsoAfterARestore(String backend) throws Exception {
    ARMED.set(false);
    FAILED.set(false);
    PROCESSED_WHILE_ARMED.set(0);
    String commands = "commands-" + backend;
    String results = "results-" + backend;
    KAFKA.createTopic(commands, 1);
    KAFKA.createTopic(results, 1);
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, backend);
    StreamExecutionEnvironment env = Jobs.environment(conf);
    env.setParallelism(2);
    env.enableCheckpointing(300);
    Processors.addTo(
        env,
        TaskConfig.builder()
            .name("stores-" + backend)
            .processor(FailingOnce.class)
            .inputGroup(
                KafkaInput.of(KAFKA.bootstrapServers(), commands, "stores-" + backend)
                    .startingAt(StartupPosition.earliest()))
            .output(
                KafkaOutput.of(KAFKA.bootstrapServers(), results)
                    .withTransactionTimeout(Duration.ofMinutes(1)))
            .build());

    JobClient job = env.executeAsync("processor stores on " + backend);
    try {
      send(commands, BEFORE_CHECKPOINT);
      KAFKA.readCommitted(results, 3);
      ARMED.set(true);
      send(commands, AFTER_CHECKPOINT);

      Map<String, List<String>> seen = new TreeMap<>();
      for (ConsumerRecord<byte[], byte[]> record : KAFKA.readCommitted(results, 12)) {
        seen.computeIfAbsent(utf8(record.key()), k -> new ArrayList<>()).add(utf8(record.value()));
      }
      assertThat(FAILED).as("the injected failure happened").isTrue();
      assertThat(seen)
          .isEqualTo(
              Map.of(
                  "r1",
                  List.of(
                      "scan g/k/ns/: =4 a1=3 a2=2 b=1",
                      "pscan a: a=6 ab=5",
                      "deleted 2",
                      "scan g/k/ns/: =4 b=1",
                      "scan g/k/ns/a: a0=7",
                      "get b: empty",
                      "get c: absent",
                      "scan g/k/ns/: =4 a0=7",
                      "scan g/k/ns2/: a=x",
                      "pscan : a=6 ab=5 b="),
                  "r2",
                  List.of("scan g/k/ns/: z=9", "scan g/k/ns/: z=9")));
    } finally {
      job.cancel().get();
    }
  }

  private static String[] cmd(String recordKey, String command) {
    return new String[] {recordKey, command};
  }

  @SuppressWarnings("unchecked")
  private static void send(String topic, List<String[]> commands) {
    KAFKA.send(
        commands.stream()
            .map(
                c ->
                    new ProducerRecord<>(
                        topic,
                        c[0].getBytes(StandardCharsets.UTF_8),
                        c[1].getBytes(StandardCharsets.UTF_8)))
            .toArray(ProducerRecord[]::new));
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
