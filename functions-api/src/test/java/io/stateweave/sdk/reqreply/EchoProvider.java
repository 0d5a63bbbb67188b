package io.stateweave.sdk.reqreply;

import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.StatefulFunctionsProvider;

/** What {@link RequestReplyServerMainTest} names on the command line. */
public final class EchoProvider implements StatefulFunctionsProvider {
  @Override
  public StatefulFunctions functions() {
    return new StatefulFunctions()
        .bind("test/echo", (context, message) -> context.reply(message.typedValue()));
  }
}
