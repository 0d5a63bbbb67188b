package io.stateweave.examples;

import io.stateweave.examples.generated.User;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.Context;
import io.stateweave.sdk.Message;
import io.stateweave.sdk.StatefulFunction;
import io.stateweave.sdk.TypeName;

/**
 * The docs' caller ({@code example/caller}): on any message, greets user1 through {@code
 * example/hello}.
 */
public final class Caller implements StatefulFunction {
  public static final TypeName TYPE = TypeName.parse("example/caller");

  @Override
  public void invoke(Context context, Message message) {
    User user = User.newBuilder().setUserId("user1").setName("Seth").build();
    context.packAndSend(new Address(Greeter.TYPE, user.getUserId()), user);
  }
}
