package io.stateweave.examples;

import io.stateweave.sdk.Context;
import io.stateweave.sdk.Message;
import io.stateweave.sdk.StatefulFunction;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.kafka.KafkaEgressMessage;

/** Serves {@code com.example/greeter} of StateFun's documented module, writing to its egress. */
public final class DocsGreeter implements StatefulFunction {
  static final TypeName EGRESS = TypeName.parse("com.example/my-egress");

  @Override
  public void invoke(Context context, Message message) {
    context.sendEgress(
        EGRESS,
        KafkaEgressMessage.forTopic("greetings-docs")
            .withUtf8Key(context.self().id())
            .withUtf8Value("Hello " + message.asString())
            .build());
  }
}
