package io.stateweave.sdk.kafka;

import com.google.protobuf.ByteString;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.kafka.generated.KafkaHeader;
import io.stateweave.sdk.kafka.generated.KafkaProducerRecord;
import io.stateweave.sdk.types.Type;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Builds a record for a Kafka egress:
 *
 * <pre>{@code
 * context.sendEgress(OUT, KafkaEgressMessage.forTopic("greetings")
 *     .withUtf8Key(user).withUtf8Value("Hello " + user).build());
 * }</pre>
 *
 * The result is the StateFun SDKs' {@code KafkaProducerRecord}, so embedded and remote functions
 * write to Kafka the same way.
 */
public final class KafkaEgressMessage {
  private final KafkaProducerRecord.Builder record = KafkaProducerRecord.newBuilder();

  private KafkaEgressMessage(String topic) {
    record.setTopic(topic);
  }

  public static KafkaEgressMessage forTopic(String topic) {
    Objects.requireNonNull(topic, "topic");
    if (topic.isEmpty()) {
      throw new IllegalArgumentException("A Kafka egress record needs a topic");
    }
    return new KafkaEgressMessage(topic);
  }

  public KafkaEgressMessage withUtf8Key(String key) {
    record.setKey(Objects.requireNonNull(key, "key"));
    return this;
  }

  /** The value's bytes as they are. */
  public KafkaEgressMessage withValue(byte[] value) {
    record.setValueBytes(ByteString.copyFrom(Objects.requireNonNull(value, "value")));
    return this;
  }

  public KafkaEgressMessage withUtf8Value(String value) {
    return withValue(Objects.requireNonNull(value, "value").getBytes(StandardCharsets.UTF_8));
  }

  /** The value serialized by {@code type}, e.g. a protobuf or JSON type. */
  public <T> KafkaEgressMessage withValue(Type<T> type, T value) {
    return withValue(type.serialize(value));
  }

  public KafkaEgressMessage withHeader(String key, byte[] value) {
    record.addHeaders(
        KafkaHeader.newBuilder()
            .setKey(Objects.requireNonNull(key, "key"))
            .setValue(ByteString.copyFrom(Objects.requireNonNull(value, "value"))));
    return this;
  }

  public KafkaEgressMessage withUtf8Header(String key, String value) {
    return withHeader(key, Objects.requireNonNull(value, "value").getBytes(StandardCharsets.UTF_8));
  }

  public TypedValue build() {
    return TypedValue.pack(record.build());
  }
}
