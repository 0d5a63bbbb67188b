package io.stateweave.flink.egress;

import io.stateweave.flink.module.KafkaEgressSpec;
import io.stateweave.sdk.TypedValue;
import java.util.Properties;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/**
 * A Kafka egress on Flink's {@code KafkaSink}. Exactly-once writes in Kafka transactions that
 * commit with Flink's checkpoints, so {@code read_committed} consumers see each record once.
 */
final class KafkaEgress {
  private KafkaEgress() {}

  static Sink<TypedValue> sink(KafkaEgressSpec spec) {
    return sink(spec, new KafkaRecordWriter(spec));
  }

  /** The same sink for records of another kind, with their writer. */
  static <T> Sink<T> sink(KafkaEgressSpec spec, KafkaRecordSerializationSchema<T> writer) {
    Properties properties = new Properties();
    properties.putAll(spec.properties());
    properties.setProperty(
        "transaction.timeout.ms", Long.toString(spec.transactionTimeout().toMillis()));
    return KafkaSink.<T>builder()
        .setKafkaProducerConfig(properties)
        .setBootstrapServers(spec.address())
        .setRecordSerializer(writer)
        .setDeliveryGuarantee(guarantee(spec.deliverySemantic()))
        // transactional ids must differ between the egresses (and jobs) writing to one cluster
        .setTransactionalIdPrefix(
            properties.getProperty(
                "transactional.id.prefix", "stateweave-" + spec.id().canonical().replace('/', '-')))
        .build();
  }

  private static DeliveryGuarantee guarantee(KafkaEgressSpec.DeliverySemantic semantic) {
    switch (semantic) {
      case EXACTLY_ONCE:
        return DeliveryGuarantee.EXACTLY_ONCE;
      case AT_LEAST_ONCE:
        return DeliveryGuarantee.AT_LEAST_ONCE;
      case NONE:
      default:
        return DeliveryGuarantee.NONE;
    }
  }
}
