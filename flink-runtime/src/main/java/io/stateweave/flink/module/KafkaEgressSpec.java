package io.stateweave.flink.module;

import io.stateweave.sdk.TypeName;
import java.time.Duration;
import java.util.Map;

/**
 * {@code io.statefun.kafka.v1/egress}, as in StateFun. Functions send it {@code
 * KafkaProducerRecord}s ({@code KafkaEgressMessage}); our addition {@code defaultTopic} also takes
 * any other typed value, written as its bytes without a key to that topic.
 */
public record KafkaEgressSpec(
    TypeName id,
    String address,
    DeliverySemantic deliverySemantic,
    Duration transactionTimeout,
    String defaultTopic,
    Map<String, String> properties)
    implements EgressSpec {

  public static final TypeName KIND = TypeName.parse("io.statefun.kafka.v1/egress");

  /** Kafka brokers cap transactions at 15 minutes by default; StateFun used the same default. */
  public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

  public KafkaEgressSpec {
    properties = Map.copyOf(properties);
  }

  public enum DeliverySemantic {
    EXACTLY_ONCE,
    AT_LEAST_ONCE,
    NONE
  }
}
