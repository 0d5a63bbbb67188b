package io.stateweave.examples;

import io.stateweave.examples.generated.Count;
import io.stateweave.examples.generated.User;
import io.stateweave.sdk.Context;
import io.stateweave.sdk.DispatchingFunction;
import io.stateweave.sdk.Message;
import io.stateweave.sdk.StatefulFunction;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.ValueSpec;
import io.stateweave.sdk.types.Types;

/**
 * The docs' greeter ({@code example/hello}): greets a user by how often it has seen them, counting
 * in state. Takes a {@code User} message or just a name.
 */
public final class Greeter implements StatefulFunction {
  public static final TypeName TYPE = TypeName.parse("example/hello");
  public static final TypeName GREETINGS = TypeName.parse("example/greetings");
  static final ValueSpec<Count> COUNT =
      ValueSpec.named("count").withType(Types.protobuf(Count.class));

  private final DispatchingFunction dispatch =
      DispatchingFunction.builder()
          .on(User.class, (context, user) -> greet(context, user.getName()))
          .on(String.class, Greeter::greet)
          .build();

  @Override
  public void invoke(Context context, Message message) throws Exception {
    dispatch.invoke(context, message);
  }

  private static void greet(Context context, String name) {
    int seen = context.storage().get(COUNT).map(Count::getValue).orElse(0) + 1;
    context.storage().set(COUNT, Count.newBuilder().setValue(seen).build());
    context.sendEgress(GREETINGS, TypedValue.of(greeting(seen, name)));
  }

  static String greeting(int seen, String name) {
    switch (seen) {
      case 1:
        return "Hello " + name;
      case 2:
        return "Hello again!";
      case 3:
        return "Third time's the charm";
      default:
        return "Hello for the " + seen + "th time";
    }
  }
}
