package io.stateweave.examples;

import io.stateweave.sdk.Context;
import io.stateweave.sdk.Message;
import io.stateweave.sdk.StatefulFunction;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.ValueSpec;
import java.time.Duration;

/**
 * Sends itself a delayed reminder ({@code example/reminder}). {@code "remind <millis>"} schedules
 * one, {@code "cancel"} cancels the pending one; when it arrives, it goes to the egress with the
 * time that passed since it was set.
 */
public final class Reminder implements StatefulFunction {
  public static final TypeName TYPE = TypeName.parse("example/reminder");
  public static final TypeName REMINDERS = TypeName.parse("example/reminders");
  private static final String TOKEN = "reminder";
  private static final String DUE = "due";
  static final ValueSpec<Long> SET_AT = ValueSpec.named("set_at").withLongType();

  @Override
  public void invoke(Context context, Message message) {
    String command = message.asString();
    if (command.startsWith("remind ")) {
      Duration delay =
          Duration.ofMillis(Long.parseLong(command.substring("remind ".length()).trim()));
      context.storage().set(SET_AT, System.currentTimeMillis());
      context.sendAfter(delay, TOKEN, context.self(), TypedValue.of(DUE));
    } else if (command.equals("cancel")) {
      context.cancelDelayedMessage(TOKEN);
      context.storage().remove(SET_AT);
    } else if (command.equals(DUE)) {
      long elapsed = System.currentTimeMillis() - context.storage().get(SET_AT).orElseThrow();
      context.storage().remove(SET_AT);
      context.sendEgress(
          REMINDERS,
          TypedValue.of("Reminder for " + context.self().id() + " after " + elapsed + " ms"));
    } else {
      throw new IllegalArgumentException(
          "example/reminder understands 'remind <millis>' and 'cancel', got '" + command + "'");
    }
  }
}
