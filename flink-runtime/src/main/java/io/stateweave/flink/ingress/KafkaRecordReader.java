package io.stateweave.flink.ingress;

import io.stateweave.flink.message.IngressRecordSerializer;
import io.stateweave.flink.module.KafkaIngressSpec;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.types.Type;
import io.stateweave.sdk.types.Types;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads Kafka records as StateFun does: the key (UTF-8) is the address id, the value's bytes are a
 * value of the topic's {@code valueType}. A record without key or value, or whose value does not
 * decode as a StateFun primitive type it claims to be, becomes a {@link DeadLetter}.
 */
final class KafkaRecordReader implements KafkaRecordDeserializationSchema<IngressRecord> {
  private static final long serialVersionUID = 1L;

  private final TypeName ingress;
  private final Map<String, TypeName> routeByTopic = new HashMap<>();
  private final Map<String, TypeName> valueTypeByTopic = new HashMap<>();

  KafkaRecordReader(KafkaIngressSpec spec) {
    this.ingress = spec.id();
    for (KafkaIngressSpec.Topic topic : spec.topics()) {
      routeByTopic.put(topic.topic(), spec.route(topic.topic()));
      valueTypeByTopic.put(topic.topic(), topic.valueType());
    }
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<IngressRecord> out) {
    TypeName route = routeByTopic.get(record.topic());
    TypeName valueType = valueTypeByTopic.get(record.topic());
    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    String problem = problem(record, valueType);
    if (problem != null) {
      DeadLetter letter =
          new DeadLetter(
              ingress, DeadLetter.kafkaOrigin(record), problem, key, valueType, record.value());
      out.collect(new IngressRecord(route, key, letter.toTypedValue()));
      return;
    }
    out.collect(new IngressRecord(route, key, TypedValue.ofBytes(valueType, record.value())));
  }

  private static String problem(ConsumerRecord<byte[], byte[]> record, TypeName valueType) {
    if (record.key() == null) {
      return "has no key, which is the id of the address it goes to";
    }
    if (record.value() == null) {
      return "has no value";
    }
    Type<?> primitive = Types.primitive(valueType);
    if (primitive != null) {
      try {
        primitive.deserialize(record.value());
      } catch (IllegalArgumentException e) {
        return "has a value that does not decode as " + valueType + ": " + e.getMessage();
      }
    }
    return null;
  }

  @Override
  public TypeInformation<IngressRecord> getProducedType() {
    return IngressRecordSerializer.TYPE_INFO;
  }
}
