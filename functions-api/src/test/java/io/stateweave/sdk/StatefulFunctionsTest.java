package io.stateweave.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.sdk.testing.FunctionTestHarness;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StatefulFunctionsTest {
  private static final StatefulFunction NOOP = (context, message) -> {};

  @FunctionType("example/annotated")
  static final class Annotated implements StatefulFunction {
    @Override
    public void invoke(Context context, Message message) {
      context.sendEgress(TypeName.parse("test/out"), TypedValue.of("annotated"));
    }
  }

  static final class NotAnnotated implements StatefulFunction {
    @Override
    public void invoke(Context context, Message message) {}
  }

  @FunctionType("not-a-type")
  static final class BadlyAnnotated implements StatefulFunction {
    @Override
    public void invoke(Context context, Message message) {}
  }

  @ParameterizedTest
  @ValueSource(strings = {"greeter", "/x", "ns/", "a b/c", "ns/a\tb", ""})
  void badFunctionTypesAreRejectedNamingTheInput(String functionType) {
    assertThatThrownBy(() -> new StatefulFunctions().bind(functionType, NOOP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid function type")
        .hasMessageContaining("'" + functionType + "'");
  }

  @Test
  void nullFunctionTypeIsRejected() {
    assertThatThrownBy(() -> new StatefulFunctions().bind(null, NOOP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid function type");
  }

  @Test
  void bindingIsKeptUnderItsParsedType() {
    ValueSpec<Integer> count = ValueSpec.named("count").withIntType();

    StatefulFunctions functions = new StatefulFunctions().bind("example/hello", NOOP, count);

    FunctionBinding binding = functions.bindings().get(TypeName.parse("example/hello"));
    assertThat(binding.function()).isSameAs(NOOP);
    assertThat(binding.valueSpecs()).containsExactly(count);
  }

  @Test
  void bindingATypeTwiceIsRejected() {
    StatefulFunctions functions = new StatefulFunctions().bind("example/hello", NOOP);

    assertThatThrownBy(() -> functions.bind("example/hello", NOOP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("example/hello")
        .hasMessageContaining("twice");
  }

  @Test
  void registerAllRejectsATypeBoundOnBothSides() {
    StatefulFunctions functions = new StatefulFunctions().bind("example/hello", NOOP);
    StatefulFunctions more = new StatefulFunctions().bind("example/hello", NOOP);

    assertThatThrownBy(() -> functions.registerAll(more))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("example/hello");
  }

  @Test
  void registerAllAddsEveryBinding() {
    StatefulFunctions functions = new StatefulFunctions().bind("example/a", NOOP);

    functions.registerAll(new StatefulFunctions().bind("example/b", NOOP).bind("example/c", NOOP));

    assertThat(functions.bindings().keySet())
        .extracting(TypeName::canonical)
        .containsExactly("example/a", "example/b", "example/c");
  }

  @Test
  void registerBindsAnAnnotatedClassUnderItsDeclaredType() {
    StatefulFunctions functions = new StatefulFunctions().register(new Annotated());
    FunctionTestHarness harness = FunctionTestHarness.forFunctions(functions);

    harness.invoke(Address.of("example/annotated", "a"), TypedValue.of(1));

    assertThat(harness.egress(TypeName.parse("test/out")))
        .containsExactly(TypedValue.of("annotated"));
  }

  @Test
  void registerWithoutAnnotationIsRejectedPointingToBind() {
    assertThatThrownBy(() -> new StatefulFunctions().register(new NotAnnotated()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(NotAnnotated.class.getName())
        .hasMessageContaining("@FunctionType")
        .hasMessageContaining("bind(");
  }

  @Test
  void registerOfALambdaIsRejected() {
    assertThatThrownBy(() -> new StatefulFunctions().register(NOOP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("@FunctionType");
  }

  @Test
  void registerWithABadAnnotatedTypeIsRejected() {
    assertThatThrownBy(() -> new StatefulFunctions().register(new BadlyAnnotated()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'not-a-type'");
  }

  @Test
  void aNullFunctionIsRejectedNamingTheType() {
    assertThatThrownBy(() -> new StatefulFunctions().bind("example/hello", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("example/hello");
  }

  @Test
  void declaringOneStateNameTwiceIsRejected() {
    ValueSpec<Integer> count = ValueSpec.named("count").withIntType();
    ValueSpec<Integer> expiring = count.thatExpiresAfterWrite(Duration.ofMinutes(1));

    assertThatThrownBy(() -> new StatefulFunctions().bind("example/hello", NOOP, count, expiring))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("example/hello")
        .hasMessageContaining("'count'");
  }

  @Test
  void bindingsCannotBeChangedFromOutside() {
    StatefulFunctions functions = new StatefulFunctions().bind("example/hello", NOOP);

    assertThatThrownBy(() -> functions.bindings().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
