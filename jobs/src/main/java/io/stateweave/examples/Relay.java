package io.stateweave.examples;

import io.stateweave.sdk.Address;
import io.stateweave.sdk.Context;
import io.stateweave.sdk.Message;
import io.stateweave.sdk.StatefulFunction;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;

/**
 * Passes every message it gets at {@code <key>} ({@code example/relay}) along a chain of {@value
 * #HOPS} addresses, {@code <key>/1} to {@code <key>/7}, then on to {@code example/counter} at
 * {@code <key>}: one count per message, after eight hops to other ids, which another subtask owns
 * as often as the parallelism makes it likely. The end-to-end test on several TaskManagers uses it
 * to send messages between their JVMs.
 */
public final class Relay implements StatefulFunction {
  public static final TypeName TYPE = TypeName.parse("example/relay");
  static final int HOPS = 8;

  @Override
  public void invoke(Context context, Message message) {
    // a message from an ingress starts the chain; the hops carry their number
    int hop = message.isInt() ? message.asInt() : 0;
    String id = context.self().id();
    String key = hop == 0 ? id : id.substring(0, id.lastIndexOf('/'));
    int next = hop + 1;
    if (next < HOPS) {
      context.send(new Address(TYPE, key + "/" + next), TypedValue.of(next));
    } else {
      context.send(new Address(Counter.TYPE, key), TypedValue.of(key));
    }
  }
}
