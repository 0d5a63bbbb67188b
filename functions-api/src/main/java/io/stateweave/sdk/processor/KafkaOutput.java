package io.stateweave.sdk.processor;

import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A Kafka topic a task writes, exactly-once: records are written in transactions that commit with
 * the task's checkpoints, so {@code read_committed} consumers see each once.
 *
 * @param partition null, or the partition every record goes to (else Kafka's partitioner, by the
 *     record's key)
 * @param transactionTimeout at most the broker's {@code transaction.max.timeout.ms}
 * @param properties Kafka producer settings
 */
public record KafkaOutput(
    String servers,
    String topic,
    Integer partition,
    Duration transactionTimeout,
    Map<String, String> properties)
    implements Serializable {

  /** Kafka brokers cap transactions at 15 minutes by default. */
  public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

  public KafkaOutput {
    Objects.requireNonNull(transactionTimeout, "transactionTimeout");
    properties = Map.copyOf(properties);
  }

  public static KafkaOutput of(String servers, String topic) {
    return new KafkaOutput(servers, topic, null, DEFAULT_TRANSACTION_TIMEOUT, Map.of());
  }

  public KafkaOutput toPartition(int partition) {
    return new KafkaOutput(servers, topic, partition, transactionTimeout, properties);
  }

  public KafkaOutput withTransactionTimeout(Duration timeout) {
    return new KafkaOutput(servers, topic, partition, timeout, properties);
  }

  public KafkaOutput withProperty(String key, String value) {
    Map<String, String> more = new LinkedHashMap<>(properties);
    more.put(key, value);
    return new KafkaOutput(servers, topic, partition, transactionTimeout, more);
  }
}
