package io.stateweave.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.sdk.testing.FunctionTestHarness;
import io.stateweave.sdk.testing.proto.Admin;
import io.stateweave.sdk.testing.proto.Count;
import io.stateweave.sdk.testing.proto.User;
import io.stateweave.sdk.types.Types;
import org.junit.jupiter.api.Test;

/** Typed dispatch, the Java form of the SDKs' type hints and union types. */
class DispatchingFunctionTest {
  private static final TypeName OUT = TypeName.parse("test/out");
  private static final Address GOODBYE = Address.of("example/goodbye", "u1");

  /** The seeds' goodbye function: {@code message: typing.Union[User, Admin]}. */
  private static DispatchingFunction goodbye() {
    return DispatchingFunction.builder()
        .on(User.class, (context, user) -> egress(context, "Goodbye user " + user.getName()))
        .on(Admin.class, (context, admin) -> egress(context, "Goodbye Admin " + admin.getName()))
        .build();
  }

  private static void egress(Context context, String text) {
    context.sendEgress(OUT, TypedValue.of(text));
  }

  @Test
  void unionOfTwoProtobufClassesRoutesEachToItsHandler() {
    FunctionTestHarness harness = FunctionTestHarness.forFunction("example/goodbye", goodbye());

    harness.invoke(GOODBYE, TypedValue.pack(User.newBuilder().setName("Seth").build()));
    harness.invoke(GOODBYE, TypedValue.pack(Admin.newBuilder().setName("Root").build()));

    assertThat(harness.egress(OUT))
        .containsExactly(TypedValue.of("Goodbye user Seth"), TypedValue.of("Goodbye Admin Root"));
  }

  @Test
  void primitivesAndStringsAreDispatchedByTheirBuiltInTypes() {
    DispatchingFunction function =
        DispatchingFunction.builder()
            .on(String.class, (context, text) -> egress(context, "string " + text))
            .on(Integer.class, (context, n) -> egress(context, "int " + n))
            .on(Long.class, (context, n) -> egress(context, "long " + n))
            .on(Boolean.class, (context, b) -> egress(context, "bool " + b))
            .on(Double.class, (context, d) -> egress(context, "double " + d))
            .on(Float.class, (context, f) -> egress(context, "float " + f))
            .build();
    FunctionTestHarness harness = FunctionTestHarness.forFunction("test/fn", function);
    Address self = Address.of("test/fn", "a");

    harness.invoke(self, TypedValue.of("hi"));
    harness.invoke(self, TypedValue.of(-3));
    harness.invoke(self, TypedValue.of(5L));
    harness.invoke(self, TypedValue.of(true));
    harness.invoke(self, TypedValue.of(0.5));
    harness.invoke(self, TypedValue.of(Types.FLOAT, 1.5f));

    assertThat(harness.egress(OUT))
        .containsExactly(
            TypedValue.of("string hi"),
            TypedValue.of("int -3"),
            TypedValue.of("long 5"),
            TypedValue.of("bool true"),
            TypedValue.of("double 0.5"),
            TypedValue.of("float 1.5"));
  }

  @Test
  void handlersMayBeGivenAnExplicitType() {
    DispatchingFunction function =
        DispatchingFunction.builder()
            .on(
                Types.json("test/point", Point.class),
                (context, point) -> context.sendEgress(OUT, TypedValue.of(point.x + point.y)))
            .build();
    FunctionTestHarness harness = FunctionTestHarness.forFunction("test/fn", function);
    Point point = new Point();
    point.x = 2;
    point.y = 3;

    harness.invoke(
        Address.of("test/fn", "a"), TypedValue.of(Types.json("test/point", Point.class), point));

    assertThat(harness.egress(OUT)).containsExactly(TypedValue.of(5));
  }

  /** A JSON-mapped message. */
  public static final class Point {
    public int x;
    public int y;
  }

  @Test
  void anUnmatchedMessageNamesTheFunctionTheMessageTypeAndTheAcceptedTypes() {
    FunctionTestHarness harness = FunctionTestHarness.forFunction("example/goodbye", goodbye());

    TypedValue count = TypedValue.pack(Count.newBuilder().setValue(1).build());

    assertThatThrownBy(() -> harness.invoke(GOODBYE, count))
        .isInstanceOf(UnexpectedMessageException.class)
        .hasMessageContaining("example/goodbye")
        .hasMessageContaining("'u1'")
        .hasMessageContaining("type.googleapis.com/io.stateweave.sdk.testing.proto.Count")
        .hasMessageContaining(
            "[type.googleapis.com/io.stateweave.sdk.testing.proto.User,"
                + " type.googleapis.com/io.stateweave.sdk.testing.proto.Admin]");
  }

  @Test
  void acceptedTypesKeepTheOrderHandlersWereAddedIn() {
    DispatchingFunction.Builder builder = DispatchingFunction.builder();
    String[] names = {"z", "a", "m", "b", "y", "c", "x", "d", "w", "e", "v", "f"};
    for (String name : names) {
      builder.on(Types.json("test/" + name, String.class), (context, message) -> {});
    }

    assertThat(builder.build().acceptedTypes()).extracting(TypeName::name).containsExactly(names);
  }

  @Test
  void twoHandlersForOneTypeAreRejected() {
    DispatchingFunction.Builder builder =
        DispatchingFunction.builder().on(User.class, (c, u) -> {});

    assertThatThrownBy(() -> builder.on(User.class, (c, u) -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("io.stateweave.sdk.testing.proto.User");
  }

  @Test
  void aFunctionWithoutHandlersIsRejected() {
    assertThatThrownBy(() -> DispatchingFunction.builder().build())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aClassWithoutABuiltInTypeIsRejectedWithAHint() {
    assertThatThrownBy(() -> DispatchingFunction.builder().on(Point.class, (c, p) -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Point.class.getName())
        .hasMessageContaining("Types.json");
  }
}
