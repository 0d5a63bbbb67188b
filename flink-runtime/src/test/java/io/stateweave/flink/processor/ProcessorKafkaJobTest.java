package io.stateweave.flink.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.sdk.processor.KafkaInput;
import io.stateweave.sdk.processor.KafkaOutput;
import io.stateweave.sdk.processor.Processor;
import io.stateweave.sdk.processor.ProcessorContext;
import io.stateweave.sdk.processor.StartupPosition;
import io.stateweave.sdk.processor.TaskConfig;
import io.stateweave.testinfra.kafka.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The seed's MetricProcessor, Kafka to Kafka at parallelism 2: one failure while events stream in,
 * after a checkpoint completed, and a {@code read_committed} consumer sees, per key, every running
 * total exactly once and in order: the outputs agree with the store across the restore.
 */
class ProcessorKafkaJobTest {
  @Order(1)
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @Order(2)
  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final int KEYS = 5;
  private static final int EVENTS = 200;

  // Static: the processor instances are recreated on restart, the flags must survive that.
  static final AtomicBoolean ARMED = new AtomicBoolean();
  static final AtomicBoolean FAILED = new AtomicBoolean();
  static final AtomicInteger PROCESSED_WHILE_ARMED = new AtomicInteger();

  /** MetricProcessor that fails once, a few records after the test armed it. */
  public static final class FailingOnce implements Processor {
    private final MetricProcessor metrics = new MetricProcessor();

    @Override
    public void init(ProcessorContext ctx, Map<String, String> config) {
      metrics.init(ctx, config);
    }

    @Override
    public void process(ProcessorContext ctx, int sourceId, byte[] data) throws Exception {
      metrics.process(ctx, sourceId, data);
      if (ARMED.get()
          && PROCESSED_WHILE_ARMED.incrementAndGet() > 10
          && FAILED.compareAndSet(false, true)) {
        throw new IllegalStateException("injected failure");
      }
    }
  }

  @Test
  void runningTotalsAreWrittenExactlyOnceAcrossAFailure() throws Exception {
    KAFKA.createTopic("events", 2);
    KAFKA.createTopic("totals", 2);
    TaskConfig task =
        TaskConfig.builder()
            .name("metrics")
            .processor(FailingOnce.class)
            .initConfig("metric_name", "user_click")
            .inputGroup(
                KafkaInput.of(KAFKA.bootstrapServers(), "events", "metrics-group")
                    .startingAt(StartupPosition.earliest()))
            .output(
                KafkaOutput.of(KAFKA.bootstrapServers(), "totals")
                    .withTransactionTimeout(Duration.ofMinutes(1)))
            .build();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    env.enableCheckpointing(300);
    Processors.addTo(env, task);

    Map<String, List<Long>> expected = new TreeMap<>();
    Map<String, Long> totals = new LinkedHashMap<>();
    List<ProducerRecord<byte[], byte[]>> events = new ArrayList<>();
    for (int i = 0; i < EVENTS; i++) {
      String key = "k" + (i % KEYS);
      int value = i % 3 + 1;
      long total = totals.merge(key, (long) value, Long::sum);
      expected.computeIfAbsent(key, k -> new ArrayList<>()).add(total);
      events.add(
          new ProducerRecord<>(
              "events",
              key.getBytes(StandardCharsets.UTF_8),
              ("{\"value\": " + value + "}").getBytes(StandardCharsets.UTF_8)));
    }

    JobClient job = env.executeAsync("processor exactly-once");
    try {
      KAFKA.send(events.subList(0, EVENTS / 2).toArray(ProducerRecord[]::new));
      // committed totals: a checkpoint completed; the failure comes after it
      KAFKA.readCommitted("totals", 1);
      ARMED.set(true);
      KAFKA.send(events.subList(EVENTS / 2, EVENTS).toArray(ProducerRecord[]::new));

      List<ConsumerRecord<byte[], byte[]>> written = KAFKA.readCommitted("totals", EVENTS);
      Map<String, List<Long>> seen = new TreeMap<>();
      for (ConsumerRecord<byte[], byte[]> record : written) {
        String value = new String(record.value(), StandardCharsets.UTF_8);
        assertThat(value).startsWith("{\"metric\":\"user_click\",\"total\":");
        long total = Long.parseLong(value.replaceAll("\\D", ""));
        seen.computeIfAbsent(new String(record.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
            .add(total);
      }
      assertThat(FAILED).as("the injected failure happened").isTrue();
      assertThat(seen).isEqualTo(expected);
    } finally {
      job.cancel().get();
    }
  }
}
