package io.stateweave.sdk.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.sdk.Address;
import io.stateweave.sdk.Context;
import io.stateweave.sdk.DispatchingFunction;
import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.ValueSpec;
import io.stateweave.sdk.testing.proto.Count;
import io.stateweave.sdk.testing.proto.User;
import io.stateweave.sdk.types.Types;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The StateFun Python SDK docs' greeter, written against this API and run with the harness: a
 * caller sends a {@code User} to {@code example/hello} under the user's id, and the greeter counts
 * the visits in a {@code Count} state to pick its greeting. The docs print the greeting; here it
 * goes to an egress so the test can see it.
 */
class GreeterExampleTest {
  private static final TypeName GREETINGS = TypeName.parse("example/greetings");
  private static final ValueSpec<Count> COUNT =
      ValueSpec.named("count").withType(Types.protobuf(Count.class));

  private static void greet(Context context, User user) {
    int seen = context.storage().get(COUNT).map(Count::getValue).orElse(0) + 1;
    context.storage().set(COUNT, Count.newBuilder().setValue(seen).build());
    context.sendEgress(GREETINGS, TypedValue.of(greeting(seen, user)));
  }

  private static String greeting(int seen, User user) {
    switch (seen) {
      case 1:
        return "Hello " + user.getName();
      case 2:
        return "Hello again!";
      case 3:
        return "Third time's the charm";
      default:
        return "Hello for the " + seen + "th time";
    }
  }

  /** {@code example/caller}: forwards a user to the greeter instance for that user. */
  private static void forward(Context context, User user) {
    context.packAndSend(Address.of("example/hello", user.getUserId()), user);
  }

  private static FunctionTestHarness harness() {
    StatefulFunctions functions =
        new StatefulFunctions()
            .bind(
                "example/hello",
                DispatchingFunction.builder()
                    .on(User.class, GreeterExampleTest::greet)
                    // the docs' `del context["count"]`
                    .on(String.class, (context, command) -> context.storage().remove(COUNT))
                    .build(),
                COUNT)
            .bind(
                "example/caller",
                DispatchingFunction.builder().on(User.class, GreeterExampleTest::forward).build());
    return FunctionTestHarness.forFunctions(functions);
  }

  private static TypedValue user(String id, String name) {
    return TypedValue.pack(User.newBuilder().setUserId(id).setName(name).build());
  }

  @Test
  void greetsByTheNumberOfVisits() {
    FunctionTestHarness harness = harness();

    IntStream.range(0, 5)
        .forEach(i -> harness.invoke(Address.of("example/caller", "c"), user("user1", "Seth")));
    assertThat(harness.egress(GREETINGS)).isEmpty();
    assertThat(harness.deliverSent()).isEqualTo(5);

    assertThat(harness.egress(GREETINGS))
        .containsExactly(
            TypedValue.of("Hello Seth"),
            TypedValue.of("Hello again!"),
            TypedValue.of("Third time's the charm"),
            TypedValue.of("Hello for the 4th time"),
            TypedValue.of("Hello for the 5th time"));
    assertThat(harness.state(Address.of("example/hello", "user1"), COUNT))
        .contains(Count.newBuilder().setValue(5).build());
  }

  @Test
  void countsEachUserSeparately() {
    FunctionTestHarness harness = harness();
    Address seth = Address.of("example/hello", "user1");
    Address igal = Address.of("example/hello", "user2");

    harness.invoke(seth, user("user1", "Seth"));
    harness.invoke(igal, user("user2", "Igal"));
    harness.invoke(seth, user("user1", "Seth"));

    assertThat(harness.egress(GREETINGS))
        .containsExactly(
            TypedValue.of("Hello Seth"),
            TypedValue.of("Hello Igal"),
            TypedValue.of("Hello again!"));
  }

  @Test
  void forgottenCountGreetsLikeTheFirstTime() {
    FunctionTestHarness harness = harness();
    Address seth = Address.of("example/hello", "user1");
    harness.setState(seth, COUNT, Count.newBuilder().setValue(3).build());

    harness.invoke(seth, user("user1", "Seth"));
    harness.invoke(seth, TypedValue.of("forget"));
    harness.invoke(seth, user("user1", "Seth"));

    assertThat(harness.egress(GREETINGS))
        .containsExactly(TypedValue.of("Hello for the 4th time"), TypedValue.of("Hello Seth"));
  }
}
