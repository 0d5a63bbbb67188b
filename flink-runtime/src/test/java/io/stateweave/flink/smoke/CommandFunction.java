package io.stateweave.flink.smoke;

import io.stateweave.flink.smoke.generated.Command;
import io.stateweave.flink.smoke.generated.Commands;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.Context;
import io.stateweave.sdk.Message;
import io.stateweave.sdk.StatefulFunction;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.ValueSpec;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Executes command trees; fails once whenever the test arms {@link #FAIL_NEXT}. */
public final class CommandFunction implements StatefulFunction {
  static final TypeName TYPE = TypeName.parse("smoke/commands");
  static final TypeName EGRESS = TypeName.parse("smoke/out");
  static final ValueSpec<Integer> COUNTER = ValueSpec.named("counter").withIntType();

  static final AtomicBoolean FAIL_NEXT = new AtomicBoolean();
  static final AtomicInteger FAILURES = new AtomicInteger();

  @Override
  public void invoke(Context context, Message message) {
    if (FAIL_NEXT.compareAndSet(true, false)) {
      FAILURES.incrementAndGet();
      throw new IllegalStateException("injected failure");
    }
    Commands commands = message.unpack(Commands.class);
    for (Command command : commands.getCommandList()) {
      switch (command.getCommandCase()) {
        case INCREMENT:
          int counter = context.storage().get(COUNTER).orElse(0) + 1;
          context.storage().set(COUNTER, counter);
          context.sendEgress(EGRESS, TypedValue.of(context.self().id() + "=" + counter));
          break;
        case EGRESS:
          context.sendEgress(EGRESS, TypedValue.of(command.getEgress().getTag()));
          break;
        case SEND:
          context.packAndSend(at(command.getSend().getTarget()), command.getSend().getCommands());
          break;
        case SEND_AFTER:
          Command.SendAfter later = command.getSendAfter();
          context.packAndSendAfter(
              Duration.ofMillis(later.getDelayMillis()),
              at(later.getTarget()),
              later.getCommands());
          break;
        case SEND_AFTER_THEN_CANCEL:
          Command.SendAfterThenCancel cancelled = command.getSendAfterThenCancel();
          context.sendAfter(
              Duration.ofMillis(500),
              cancelled.getToken(),
              at(cancelled.getTarget()),
              TypedValue.pack(cancelled.getCommands()));
          context.packAndSend(
              context.self(),
              Commands.newBuilder()
                  .addCommand(
                      Command.newBuilder()
                          .setCancel(Command.Cancel.newBuilder().setToken(cancelled.getToken())))
                  .build());
          break;
        case CANCEL:
          context.cancelDelayedMessage(command.getCancel().getToken());
          break;
        default:
          throw new IllegalArgumentException("Unknown command " + command);
      }
    }
  }

  private static Address at(String id) {
    return new Address(TYPE, id);
  }
}
