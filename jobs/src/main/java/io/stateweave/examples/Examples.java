package io.stateweave.examples;

import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.StatefulFunctionsProvider;

/** All example functions, for {@code providers:} in module.yaml. */
public final class Examples implements StatefulFunctionsProvider {
  @Override
  public StatefulFunctions functions() {
    return new StatefulFunctions()
        .bind(Greeter.TYPE.canonical(), new Greeter())
        .bind(Caller.TYPE.canonical(), new Caller())
        .bind(Reminder.TYPE.canonical(), new Reminder())
        .bind(Goodbye.TYPE.canonical(), new Goodbye())
        .bind(Counter.TYPE.canonical(), new Counter(), Counter.COUNT)
        .bind(Relay.TYPE.canonical(), new Relay());
  }
}
