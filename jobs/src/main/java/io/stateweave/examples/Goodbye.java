package io.stateweave.examples;

import io.stateweave.examples.generated.Admin;
import io.stateweave.examples.generated.User;
import io.stateweave.sdk.Context;
import io.stateweave.sdk.DispatchingFunction;
import io.stateweave.sdk.Message;
import io.stateweave.sdk.StatefulFunction;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;

/**
 * Typed dispatch ({@code example/goodbye}), the docs' union case: one handler for {@code User}, one
 * for {@code Admin}; any other message type fails with a message naming the accepted types.
 */
public final class Goodbye implements StatefulFunction {
  public static final TypeName TYPE = TypeName.parse("example/goodbye");
  public static final TypeName FAREWELLS = TypeName.parse("example/farewells");

  private final DispatchingFunction dispatch =
      DispatchingFunction.builder()
          .on(User.class, (context, user) -> farewell(context, "Goodbye user " + user.getName()))
          .on(
              Admin.class,
              (context, admin) -> farewell(context, "Goodbye admin " + admin.getName()))
          .build();

  @Override
  public void invoke(Context context, Message message) throws Exception {
    dispatch.invoke(context, message);
  }

  private static void farewell(Context context, String text) {
    context.sendEgress(FAREWELLS, TypedValue.of(text));
  }
}
