package io.stateweave.flink.kafka;

import io.stateweave.sdk.Context;
import io.stateweave.sdk.Message;
import io.stateweave.sdk.StatefulFunction;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.kafka.KafkaEgressMessage;

/**
 * Test function {@code test/echo}: reports every string it gets as {@code <id>:<value>} on the
 * collecting egress {@code test/seen}, and writes it as a keyed Kafka record with a header to the
 * topic {@code echoes} of the Kafka egress {@code test/kafka}.
 */
public final class Echo implements StatefulFunction {
  static final TypeName SEEN = TypeName.parse("test/seen");
  static final TypeName KAFKA = TypeName.parse("test/kafka");

  @Override
  public void invoke(Context context, Message message) {
    String text = context.self().id() + ":" + message.asString();
    context.sendEgress(SEEN, TypedValue.of(text));
    context.sendEgress(
        KAFKA,
        KafkaEgressMessage.forTopic("echoes")
            .withUtf8Key(context.self().id())
            .withUtf8Value(message.asString())
            .withUtf8Header("from", context.self().type().canonical())
            .build());
  }
}
