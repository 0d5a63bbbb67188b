package io.stateweave.flink.module;

import io.stateweave.sdk.Context;
import io.stateweave.sdk.FunctionType;
import io.stateweave.sdk.Message;
import io.stateweave.sdk.StatefulFunction;
import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.StatefulFunctionsProvider;

/** Classes that module files in the tests name. */
public final class TestFunctions {
  private TestFunctions() {}

  @FunctionType("example/greeter")
  public static final class Greeter implements StatefulFunction {
    @Override
    public void invoke(Context context, Message message) {}
  }

  /** No annotation: needs a {@code type} in the module file. */
  public static final class Echo implements StatefulFunction {
    @Override
    public void invoke(Context context, Message message) {}
  }

  public static final class Provider implements StatefulFunctionsProvider {
    @Override
    public StatefulFunctions functions() {
      return new StatefulFunctions()
          .bind("example/shouter", (context, message) -> {})
          .bind("example/whisperer", (context, message) -> {});
    }
  }

  public static final class NotAFunction {}
}
