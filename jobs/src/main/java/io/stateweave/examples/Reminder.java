package io.stateweave.examples;

import io.stateweave.sdk.Context;
import io.stateweave.sdk.Message;
import io.stateweave.sdk.StatefulFunction;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import java.time.Duration;

/**
 * Sends itself a delayed reminder ({@code example/reminder}). {@code "remind <millis>"} schedules
 * one, {@code "cancel"} cancels the pending one; when it arrives, it goes to the egress.
 */
public final class Reminder implements StatefulFunction {
  public static final TypeName TYPE = TypeName.parse("example/reminder");
  public static final TypeName REMINDERS = TypeName.parse("example/reminders");
  private static final String TOKEN = "reminder";
  private static final String DUE = "due";

  @Override
  public void invoke(Context context, Message message) {
    String command = message.asString();
    if (command.startsWith("remind ")) {
      Duration delay = Duration.ofMillis(Long.parseLong(command.substring("remind ".length()).trim()));
      context.sendAfter(delay, TOKEN, context.self(), TypedValue.of(DUE));
    } else if (command.equals("cancel")) {
      context.cancelDelayedMessage(TOKEN);
    } else if (command.equals(DUE)) {
      context.sendEgress(REMINDERS, TypedValue.of("Reminder for " + context.self().id()));
    } else {
      throw new IllegalArgumentException(
          "example/reminder understands 'remind <millis>' and 'cancel', got '" + command + "'");
    }
  }
}
