package io.stateweave.flink.egress;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stateweave.flink.module.KafkaEgressSpec;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.kafka.generated.KafkaHeader;
import io.stateweave.sdk.kafka.generated.KafkaProducerRecord;
import io.stateweave.sdk.types.Types;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes what functions send to a Kafka egress: a {@code KafkaProducerRecord} (built with {@code
 * KafkaEgressMessage} or by a StateFun SDK) as the record it describes; any other value as its
 * bytes, without key, to the egress's default topic.
 */
final class KafkaRecordWriter implements KafkaRecordSerializationSchema<TypedValue> {
  private static final long serialVersionUID = 1L;
  static final TypeName PRODUCER_RECORD = Types.protobuf(KafkaProducerRecord.class).typeName();

  private final String egress;
  private final String defaultTopic;

  KafkaRecordWriter(KafkaEgressSpec spec) {
    this.egress = spec.id().canonical();
    this.defaultTopic = spec.defaultTopic();
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      TypedValue value, KafkaSinkContext context, Long timestamp) {
    if (!value.typeName().equals(PRODUCER_RECORD)) {
      if (defaultTopic == null) {
        throw new IllegalArgumentException(
            "Kafka egress "
                + egress
                + " got a value of type "
                + value.typeName()
                + "; send KafkaEgressMessage records, or set the egress's defaultTopic");
      }
      return new ProducerRecord<>(defaultTopic, null, value.bytes());
    }
    KafkaProducerRecord record;
    try {
      record = KafkaProducerRecord.parseFrom(value.bytes());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("Kafka egress " + egress + " got a malformed record", e);
    }
    if (record.getTopic().isEmpty()) {
      throw new IllegalArgumentException("Kafka egress " + egress + " got a record without topic");
    }
    byte[] key =
        record.getKey().isEmpty() ? null : record.getKey().getBytes(StandardCharsets.UTF_8);
    ProducerRecord<byte[], byte[]> result =
        new ProducerRecord<>(record.getTopic(), null, key, record.getValueBytes().toByteArray());
    for (KafkaHeader header : record.getHeadersList()) {
      result.headers().add(header.getKey(), header.getValue().toByteArray());
    }
    return result;
  }
}
