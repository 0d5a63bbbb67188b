package io.stateweave.bench;

import io.stateweave.sdk.Context;
import io.stateweave.sdk.Message;
import io.stateweave.sdk.StatefulFunction;
import io.stateweave.sdk.TypeName;
import java.time.Duration;

/** delay: a message from the ingress sends itself after 1 ms; then it goes to the egress. */
public final class DelayFunction implements StatefulFunction {
  public static final TypeName TYPE = TypeName.parse("bench/delay");
  public static final TypeName EGRESS = TypeName.parse("bench/delayed-out");
  private static final Duration DELAY = Duration.ofMillis(1);

  @Override
  public void invoke(Context context, Message message) {
    Probe.invoked();
    if (context.caller().isEmpty()) {
      context.sendAfter(DELAY, context.self(), message.typedValue());
    } else {
      context.sendEgress(EGRESS, message.typedValue());
    }
  }
}
