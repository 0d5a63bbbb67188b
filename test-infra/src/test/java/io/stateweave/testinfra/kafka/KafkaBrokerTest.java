package io.stateweave.testinfra.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaBrokerTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @Test
  void readCommittedSeesCommittedTransactionsOnlyAndReadUncommittedSeesAbortedOnesToo() {
    String topic = "transactions";
    KAFKA.createTopic(topic, 2);

    try (KafkaProducer<String, String> producer = transactionalProducer("kafka-broker-test")) {
      producer.initTransactions();

      producer.beginTransaction();
      for (int i = 0; i < 4; i++) {
        // both partitions: the commit and abort markers must reach each of them
        producer.send(new ProducerRecord<>(topic, i % 2, "k" + i, "committed-" + i));
      }
      producer.commitTransaction();

      producer.beginTransaction();
      for (int i = 0; i < 4; i++) {
        producer.send(new ProducerRecord<>(topic, i % 2, "k" + i, "aborted-" + i));
      }
      // the aborted records reach the log before the abort marker
      producer.flush();
      producer.abortTransaction();
    }

    assertThat(readAll(topic, 2, "read_committed"))
        .containsExactlyInAnyOrder("committed-0", "committed-1", "committed-2", "committed-3");
    assertThat(readAll(topic, 2, "read_uncommitted"))
        .containsExactlyInAnyOrder(
            "committed-0",
            "committed-1",
            "committed-2",
            "committed-3",
            "aborted-0",
            "aborted-1",
            "aborted-2",
            "aborted-3");
  }

  @Test
  void transactionsRunProtocolVersion1SoThatARepeatedCommitSucceeds() throws Exception {
    Properties properties = new Properties();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    try (Admin admin = Admin.create(properties)) {
      FinalizedVersionRange transactionVersion =
          admin
              .describeFeatures()
              .featureMetadata()
              .get()
              .finalizedFeatures()
              .get("transaction.version");
      assertThat(transactionVersion.maxVersionLevel()).isEqualTo((short) 1);
    }
  }

  @Test
  void topicsAreNotCreatedAutomatically() {
    try (KafkaConsumer<String, String> consumer = consumer("read_committed")) {
      assertThat(consumer.listTopics(Duration.ofSeconds(10))).doesNotContainKey("never-created");
    }
  }

  @Test
  void listensOnLoopbackOnly() {
    assertThat(KAFKA.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
    assertThat(KAFKA.logFile()).exists();
  }

  @Test
  void rejectsBadTopicArguments() {
    assertThatThrownBy(() -> KAFKA.createTopic("bad", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("partitions must be positive");
    assertThatThrownBy(() -> KAFKA.createTopic(" ", 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static KafkaProducer<String, String> transactionalProducer(String transactionalId) {
    Properties properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    // what Flink's exactly-once KafkaSink asks for; the broker must allow it
    properties.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) Duration.ofHours(1).toMillis());
    return new KafkaProducer<>(properties);
  }

  private static KafkaConsumer<String, String> consumer(String isolationLevel) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
    properties.put(
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    properties.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return new KafkaConsumer<>(properties);
  }

  /**
   * Every value up to the end of each partition, as the given isolation level sees it. Reads with
   * assign() rather than a group, and stops at the end offsets that the same isolation level
   * reports (the last stable offset for read_committed), so it needs no wall-clock wait.
   */
  private static List<String> readAll(String topic, int partitions, String isolationLevel) {
    List<TopicPartition> assignment = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      assignment.add(new TopicPartition(topic, p));
    }
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = consumer(isolationLevel)) {
      consumer.assign(assignment);
      consumer.seekToBeginning(assignment);
      Map<TopicPartition, Long> end = consumer.endOffsets(assignment, Duration.ofSeconds(10));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!reached(consumer, end)) {
        assertThat(System.nanoTime()).as("reading %s up to %s", topic, end).isLessThan(deadline);
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
    }
    return values;
  }

  private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }
}
