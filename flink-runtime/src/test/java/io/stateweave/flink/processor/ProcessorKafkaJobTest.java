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
import io.stateweave.flink.testing.Jobs;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.junit.jupiter.api.io.TempDir;
import org.apache.flink.runtime.executiongraph.ErrorInfo;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Processor tasks Kafka to Kafka. The seed's MetricProcessor at parallelism 2, failing once (by an
 * exception, or by a heartbeat that says false) while events stream in after a checkpoint
 * completed: a {@code read_committed} consumer sees, per key, every running total exactly once and
 * in order, so outputs and store agree across the restore. And watermarks of two inputs.
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

  static final AtomicBoolean HEARTBEAT_ARMED = new AtomicBoolean();
  static final AtomicBoolean HEARTBEAT_FAILED = new AtomicBoolean();

  /** MetricProcessor whose heartbeat says false once, after the test armed it. */
  public static final class UnhealthyOnce implements Processor {
    private final MetricProcessor metrics = new MetricProcessor();

    @Override
    public void init(ProcessorContext ctx, Map<String, String> config) {
      metrics.init(ctx, config);
    }

    @Override
    public void process(ProcessorContext ctx, int sourceId, byte[] data) throws Exception {
      metrics.process(ctx, sourceId, data);
    }

    @Override
    public boolean checkHeartbeat(ProcessorContext ctx) {
      return !(HEARTBEAT_ARMED.get() && HEARTBEAT_FAILED.compareAndSet(false, true));
    }
  }

  @Test
  void aHeartbeatThatSaysFalseRestartsTheTaskWhichLosesNothing(@InjectMiniCluster MiniCluster cluster)
      throws Exception {
    KAFKA.createTopic("beats", 2);
    KAFKA.createTopic("beat-totals", 2);
    TaskConfig task =
        TaskConfig.builder()
            .name("beats")
            .processor(UnhealthyOnce.class)
            .initConfig("metric_name", "beat")
            .heartbeatInterval(Duration.ofMillis(100))
            .inputGroup(
                KafkaInput.of(KAFKA.bootstrapServers(), "beats", "beats-group")
                    .startingAt(StartupPosition.earliest()))
            .output(
                KafkaOutput.of(KAFKA.bootstrapServers(), "beat-totals")
                    .withTransactionTimeout(Duration.ofMinutes(1)))
            .build();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    env.enableCheckpointing(300);
    Processors.addTo(env, task);
    List<ProducerRecord<byte[], byte[]>> events = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      events.add(
          new ProducerRecord<>(
              "beats",
              ("k" + i % 4).getBytes(StandardCharsets.UTF_8),
              "{\"value\": 1}".getBytes(StandardCharsets.UTF_8)));
    }

    JobClient job = env.executeAsync("processor heartbeat");
    try {
      KAFKA.send(events.subList(0, 20).toArray(ProducerRecord[]::new));
      KAFKA.readCommitted("beat-totals", 20);
      HEARTBEAT_ARMED.set(true);
      Jobs.await("the heartbeat to fail", Duration.ofSeconds(30), HEARTBEAT_FAILED::get);
      KAFKA.send(events.subList(20, 40).toArray(ProducerRecord[]::new));

      Map<String, List<Long>> seen = new TreeMap<>();
      for (ConsumerRecord<byte[], byte[]> record : KAFKA.readCommitted("beat-totals", 40)) {
        String value = new String(record.value(), StandardCharsets.UTF_8);
        seen.computeIfAbsent(new String(record.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
            .add(Long.parseLong(value.replaceAll("\\D", "")));
      }
      List<Long> oneToTen = List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
      assertThat(seen)
          .isEqualTo(Map.of("k0", oneToTen, "k1", oneToTen, "k2", oneToTen, "k3", oneToTen));
      ErrorInfo failure = Jobs.graph(cluster, job.getJobID()).getFailureInfo();
      assertThat(failure).isNotNull();
      assertThat(failure.getExceptionAsString())
          .contains(
              "processor task 'beats' (" + UnhealthyOnce.class.getName() + "), subtask ")
          .contains(
              ": checkHeartbeat returned false; the task fails and restarts from its last"
                  + " checkpoint");
    } finally {
      job.cancel().get();
    }
  }

  /** Emits each record's input and timestamp, and each watermark it hears. */
  public static final class WatermarkRecorder implements Processor {
    @Override
    public void process(ProcessorContext ctx, int sourceId, byte[] data) {
      ctx.emit(("rec " + sourceId + " " + new String(data, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8), 0);
    }

    @Override
    public void processWatermark(ProcessorContext ctx, int sourceId, long watermark) {
      ctx.emit(("wm " + sourceId + " " + watermark).getBytes(StandardCharsets.UTF_8), 0);
    }
  }

  @Test
  void watermarksAreTheMinimumOverInputsInOrderAndAnIdleInputIsLeftOut() throws Exception {
    for (String topic : List.of("wm-a", "wm-b", "wm-idle", "wm-out")) {
      KAFKA.createTopic(topic, 1);
    }
    TaskConfig task =
        TaskConfig.builder()
            .name("watermarks")
            .processor(WatermarkRecorder.class)
            .inputGroup(
                KafkaInput.of(KAFKA.bootstrapServers(), "wm-a", "wm")
                    .startingAt(StartupPosition.earliest())
                    .withOutOfOrderness(Duration.ofSeconds(1)),
                KafkaInput.of(KAFKA.bootstrapServers(), "wm-b", "wm")
                    .startingAt(StartupPosition.earliest()))
            .inputGroup(
                KafkaInput.of(KAFKA.bootstrapServers(), "wm-idle", "wm")
                    .startingAt(StartupPosition.earliest())
                    .withIdleTimeout(Duration.ofMillis(300)))
            .output(
                KafkaOutput.of(KAFKA.bootstrapServers(), "wm-out")
                    .withTransactionTimeout(Duration.ofMinutes(1)))
            .build();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    env.enableCheckpointing(200);
    Processors.addTo(env, task);
    // out of order: with 1 s out-of-orderness, input 0's watermark ends at 5000 - 1000 - 1
    KAFKA.send(
        timed("wm-a", 1000), timed("wm-a", 5000), timed("wm-a", 2000), timed("wm-a", 4000),
        timed("wm-a", 3000));

    JobClient job = env.executeAsync("processor watermarks");
    try {
      List<String> expected =
          new ArrayList<>(List.of("rec 0 1000", "rec 0 5000", "rec 0 2000", "rec 0 4000", "rec 0 3000"));
      // input 1 has read nothing: no watermark yet, whatever input 0 read
      assertThat(values(KAFKA.readCommitted("wm-out", 5))).isEqualTo(expected);

      KAFKA.send(timed("wm-b", 2500));
      expected.addAll(List.of("rec 1 2500", "wm -1 2499"));
      assertThat(values(KAFKA.readCommitted("wm-out", 7))).isEqualTo(expected);

      KAFKA.send(timed("wm-b", 20000));
      expected.addAll(List.of("rec 1 20000", "wm -1 3999"));
      assertThat(values(KAFKA.readCommitted("wm-out", 9))).isEqualTo(expected);
    } finally {
      job.cancel().get();
    }
  }

  /** MetricProcessor that counts its records in a checkpointed field and tells what it got back. */
  public static final class Rescaled implements Processor {
    private final MetricProcessor metrics = new MetricProcessor();
    private List<byte[]> restored;
    private long seen;
    private boolean told;

    @Override
    public void init(ProcessorContext ctx, Map<String, String> config) {
      metrics.init(ctx, config);
      restored = ctx.restoredState();
      for (byte[] state : restored) {
        seen += Long.parseLong(new String(state, StandardCharsets.UTF_8));
      }
    }

    @Override
    public void process(ProcessorContext ctx, int sourceId, byte[] data) throws Exception {
      if (!told) {
        told = true;
        ctx.emit(("restored " + restored.size() + " " + seen).getBytes(StandardCharsets.UTF_8), 1);
      }
      seen++;
      metrics.process(ctx, sourceId, data);
    }

    @Override
    public byte[] takeCheckpoint(ProcessorContext ctx, long checkpointId) {
      return Long.toString(seen).getBytes(StandardCharsets.UTF_8);
    }
  }

  @Test
  void storesAndCheckpointedStateSurviveRescaling2To1To2(@TempDir Path savepoints)
      throws Exception {
    KAFKA.createTopic("rescale-in", 2);
    KAFKA.createTopic("rescale-totals", 2);
    KAFKA.createTopic("rescale-restored", 1);
    TaskConfig task =
        TaskConfig.builder()
            .name("rescale")
            .processor(Rescaled.class)
            .initConfig("metric_name", "m")
            .inputGroup(
                KafkaInput.of(KAFKA.bootstrapServers(), "rescale-in", "rescale-group")
                    .startingAt(StartupPosition.earliest()))
            .output(
                KafkaOutput.of(KAFKA.bootstrapServers(), "rescale-totals")
                    .withTransactionTimeout(Duration.ofMinutes(1)))
            .output(
                KafkaOutput.of(KAFKA.bootstrapServers(), "rescale-restored")
                    .withTransactionTimeout(Duration.ofMinutes(1)))
            .build();
    List<ProducerRecord<byte[], byte[]>> events = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      events.add(
          new ProducerRecord<>(
              "rescale-in",
              ("k" + i % 4).getBytes(StandardCharsets.UTF_8),
              "{\"value\": 1}".getBytes(StandardCharsets.UTF_8)));
    }
    ProducerRecord<byte[], byte[]>[] batch = events.toArray(ProducerRecord[]::new);

    String savepoint = null;
    int[] parallelisms = {2, 1, 2};
    for (int phase = 0; phase < parallelisms.length; phase++) {
      Configuration conf = new Configuration();
      if (savepoint != null) {
        conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
      }
      StreamExecutionEnvironment env = Jobs.environment(conf);
      env.setParallelism(parallelisms[phase]);
      env.enableCheckpointing(300);
      Processors.addTo(env, task);
      JobClient job = env.executeAsync("processor rescale, phase " + phase);
      KAFKA.send(batch);
      KAFKA.readCommitted("rescale-totals", 40 * (phase + 1));
      if (phase < parallelisms.length - 1) {
        savepoint =
            job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get();
      } else {
        // each output commits on its own: wait for this one's too before cancelling
        KAFKA.readCommitted("rescale-restored", 5);
        job.cancel().get();
      }
    }

    Map<String, List<Long>> seen = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> record : KAFKA.readCommittedToEnd("rescale-totals")) {
      seen.computeIfAbsent(new String(record.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
          .add(Long.parseLong(new String(record.value(), StandardCharsets.UTF_8).replaceAll("\\D", "")));
    }
    List<Long> oneToThirty = new ArrayList<>();
    for (long i = 1; i <= 30; i++) {
      oneToThirty.add(i);
    }
    assertThat(seen)
        .isEqualTo(Map.of("k0", oneToThirty, "k1", oneToThirty, "k2", oneToThirty, "k3", oneToThirty));
    List<String> restored = values(KAFKA.readCommittedToEnd("rescale-restored"));
    // each instance tells at its first record (the four keys reach both subtasks at 2):
    // phase 0 fresh; phase 1 one instance gets both former instances' states; phase 2 the one
    // state goes to exactly one of the two instances
    assertThat(restored).hasSize(5);
    assertThat(restored.subList(0, 3)).containsExactly("restored 0 0", "restored 0 0", "restored 2 40");
    assertThat(restored.subList(3, 5)).containsExactlyInAnyOrder("restored 1 80", "restored 0 0");
  }

  private static ProducerRecord<byte[], byte[]> timed(String topic, long timestamp) {
    return new ProducerRecord<>(
        topic, null, timestamp, null, Long.toString(timestamp).getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
  }
}
