package io.stateweave.flink.module;

import io.stateweave.sdk.TypeName;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.MemorySize;

/**
 * {@code io.stateweave.transactions.v1/kafka}: transaction requests from one Kafka topic, their
 * answers to another. A request record's key is its request id (UTF-8) and its value the request's
 * byte form ({@code TransactionRequest.write}); the answer has the same key and the result's byte
 * form as value, written exactly-once, so a {@code read_committed} consumer sees one answer per
 * request id.
 *
 * @param startupPosition where requests are read from when the job starts without a checkpoint;
 *     the group's offsets by default, and from the earliest request when the group has none
 * @param transactionTimeout the answers' Kafka transaction timeout, at most the broker's maximum
 * @param epochMaxSize an epoch closes when it holds this many requests...
 * @param epochMaxDelay ...or this long after its first request
 * @param answerRetention how long an answer is kept for resubmissions of its request id
 * @param entityCache about how much heap the executor keeps recently used entities in
 */
public record TransactionsKafkaSpec(
    TypeName id,
    String address,
    String requestTopic,
    String responseTopic,
    String consumerGroupId,
    KafkaIngressSpec.StartupPosition startupPosition,
    Duration transactionTimeout,
    int epochMaxSize,
    Duration epochMaxDelay,
    Duration answerRetention,
    MemorySize entityCache,
    Map<String, String> properties)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final TypeName KIND = TypeName.parse("io.stateweave.transactions.v1/kafka");

  /** An epoch's size and delay when the module does not set them. */
  public static final int DEFAULT_EPOCH_MAX_SIZE = 1_000;

  public static final Duration DEFAULT_EPOCH_MAX_DELAY = Duration.ofMillis(10);

  public TransactionsKafkaSpec {
    properties = Map.copyOf(properties);
  }
}
