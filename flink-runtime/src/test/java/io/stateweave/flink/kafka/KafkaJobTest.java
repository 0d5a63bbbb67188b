package io.stateweave.flink.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.egress.CollectedEgress;
import io.stateweave.flink.module.ModuleLoader;
import io.stateweave.flink.translation.ModuleTranslator;
import io.stateweave.sdk.types.Types;
import io.stateweave.testinfra.kafka.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kafka ingress and egress against a real broker: every startup position, keyed records routed to
 * addresses, and exactly-once Kafka records with keys and headers seen by a read_committed
 * consumer.
 */
class KafkaJobTest {
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

  private static final long OLD_TIMESTAMP = 1_000_000L;
  private static JobClient job;

  @BeforeAll
  static void startJobOnTopicsWithHistory() throws Exception {
    for (String topic : List.of("earliest", "latest", "group", "specific", "date", "echoes")) {
      KAFKA.createTopic(topic, 1);
    }
    for (String topic : List.of("earliest", "latest", "group", "specific", "date")) {
      for (int i = 0; i < 3; i++) {
        produce(topic, "k" + i, "old" + i, OLD_TIMESTAMP + i);
      }
    }
    commitGroupOffset("stateweave-group-test", "group", 1);

    CollectedEgress.clear();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    env.enableCheckpointing(200);
    ModuleTranslator.translate(env, ModuleLoader.parse(module(), "kafka-test.yaml"));
    job = env.executeAsync("kafka ingress and egress");
  }

  @AfterAll
  static void stop() throws Exception {
    if (job != null) {
      job.cancel().get();
    }
  }

  @Test
  void readsFromEveryStartupPositionAndWritesEachRecordOnceToKafka() throws Exception {
    // every reader has started once the earliest one delivered; what comes now is "latest"
    awaitSeen("e-k2:old2");
    for (String topic : List.of("earliest", "latest", "group", "specific", "date")) {
      produce(topic, "k9", "new", System.currentTimeMillis());
    }
    List<String> expected =
        List.of(
            "e-k0:old0",
            "e-k1:old1",
            "e-k2:old2",
            "e-k9:new",
            "l-k9:new",
            "g-k1:old1",
            "g-k2:old2",
            "g-k9:new",
            "s-k2:old2",
            "s-k9:new",
            "d-k9:new");
    assertThat(awaitSeenCount(expected.size())).containsExactlyInAnyOrderElementsOf(expected);

    List<ConsumerRecord<byte[], byte[]>> echoes = KAFKA.readCommitted("echoes", expected.size());
    assertThat(echoes)
        .extracting(r -> utf8(r.key()) + ":" + utf8(r.value()))
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(echoes)
        .allSatisfy(
            r -> assertThat(utf8(r.headers().lastHeader("from").value())).isEqualTo("test/echo"));
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static String module() {
    StringBuilder yaml =
        new StringBuilder(
            """
            kind: io.stateweave.functions.v1/java
            spec:
              functions:
                - {type: test/echo, class: io.stateweave.flink.kafka.Echo}
            ---
            kind: io.stateweave.egress.v1/collecting
            spec: {id: test/seen}
            ---
            kind: io.statefun.kafka.v1/egress
            spec:
              id: test/kafka
              address: %s
              deliverySemantic:
                type: exactly-once
                transactionTimeout: 1min
            """
                .formatted(KAFKA.bootstrapServers()));
    Map<String, String> positions =
        Map.of(
            "earliest", "{type: earliest}",
            "latest", "{type: latest}",
            "group", "{type: group-offsets}",
            "specific", "\n    type: specific-offsets\n    offsets:\n      - specific/0: 2",
            "date", "\n    type: date\n    date: 2000-01-01 00:00:00.00 Z");
    positions.forEach(
        (topic, position) ->
            yaml.append(
                    """
                    ---
                    kind: io.statefun.kafka.v1/ingress
                    spec:
                      id: test/%s
                      address: %s
                      consumerGroupId: stateweave-%s-test
                      topics:
                        - topic: %s
                          valueType: io.statefun.types/string
                          targets: [test/echo]
                    """
                        .formatted(topic, KAFKA.bootstrapServers(), topic, topic))
                .append("  startupPosition: ")
                .append(position)
                .append('\n'));
    return yaml.toString();
  }

  /** Keys are prefixed with the topic's initial so one function serves all topics apart. */
  private static void produce(String topic, String key, String value, long timestamp) {
    String prefixedKey = topic.charAt(0) + "-" + key;
    KAFKA.send(
        new ProducerRecord<>(
            topic,
            null,
            timestamp,
            prefixedKey.getBytes(StandardCharsets.UTF_8),
            Types.STRING.serialize(value)));
  }

  private static void commitGroupOffset(String group, String topic, long offset) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    config.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(offset)));
    }
  }

  private static void awaitSeen(String text) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!seen().contains(text)) {
      assertThat(System.nanoTime())
          .as("'%s' seen; seen so far %s", text, seen())
          .isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static List<String> awaitSeenCount(int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (seen().size() < count) {
      assertThat(System.nanoTime())
          .as("%d seen; seen so far %s", count, seen())
          .isLessThan(deadline);
      Thread.sleep(50);
    }
    Thread.sleep(1_000); // anything read that should not have been has time to show
    return seen();
  }

  private static List<String> seen() {
    return CollectedEgress.records(Echo.SEEN).stream()
        .map(value -> Types.STRING.deserialize(value.bytes()))
        .collect(Collectors.toList());
  }
}
