package io.stateweave.flink.feedback;

import io.stateweave.sdk.Address;
import io.stateweave.sdk.Context;
import io.stateweave.sdk.Message;
import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.StatefulFunctionsProvider;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.ValueSpec;
import java.time.Duration;

/** The functions of the loop's harness tests; named by class in the dispatcher's spec. */
public final class LoopFunctions implements StatefulFunctionsProvider {
  static final TypeName COUNTER = TypeName.parse("test/counter");
  static final TypeName DELAYER = TypeName.parse("test/delayer");
  static final TypeName OUT = TypeName.parse("test/out");

  private static final ValueSpec<Integer> SEEN = ValueSpec.named("seen").withIntType();

  @Override
  public StatefulFunctions functions() {
    return new StatefulFunctions()
        .bind(COUNTER.canonical(), LoopFunctions::count, SEEN)
        .bind(DELAYER.canonical(), LoopFunctions::delay);
  }

  /** Counts the messages of its address: egress "{id} {text} n={count}". */
  private static void count(Context context, Message message) {
    int seen = context.storage().get(SEEN).orElse(0) + 1;
    context.storage().set(SEEN, seen);
    String record = context.self().id() + " " + message.asString() + " n=" + seen;
    context.sendEgress(OUT, TypedValue.of(record));
  }

  /**
   * "send {token} {millis} {text}" sends the text to the counter of its own id after that delay;
   * "cancel {token}" cancels it.
   */
  private static void delay(Context context, Message message) {
    String[] command = message.asString().split(" ", 4);
    if (command[0].equals("cancel")) {
      context.cancelDelayedMessage(command[1]);
    } else {
      context.sendAfter(
          Duration.ofMillis(Long.parseLong(command[2])),
          command[1],
          new Address(COUNTER, context.self().id()),
          TypedValue.of(command[3]));
    }
  }
}
