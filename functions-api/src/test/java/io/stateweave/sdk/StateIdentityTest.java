package io.stateweave.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.sdk.testing.FunctionTestHarness;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Within a function type a state name stands for one state, identified by its name and its type: a
 * second spec of the name with another type is an error naming the function type, the state and
 * both types, raised when the function is bound if both specs are declared there, else at the use
 * of the second.
 */
class StateIdentityTest {
  private static final StatefulFunction NOOP = (context, message) -> {};
  private static final ValueSpec<Integer> COUNT = ValueSpec.named("count").withIntType();

  @Test
  void declaringAStateNameWithTwoTypesFailsWhenBound() {
    ValueSpec<Long> countAsLong = ValueSpec.named("count").withLongType();

    assertThatThrownBy(
            () -> new StatefulFunctions().bind("example/counter", NOOP, COUNT, countAsLong))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Function type example/counter declares state 'count' as io.statefun.types/int and"
                + " as io.statefun.types/long: a state name has one type within its function"
                + " type");
  }

  @Test
  void declaringAStateNameWithTwoExpirationsFailsWhenBound() {
    ValueSpec<Integer> expiring = COUNT.thatExpiresAfterWrite(Duration.ofMinutes(1));

    assertThatThrownBy(
            () -> new StatefulFunctions().bind("example/counter", NOOP, COUNT, expiring))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Function type example/counter declares state 'count' of io.statefun.types/int"
                + " expiring ")
        .hasMessageEndingWith(": a state has one expiration");
  }

  @Test
  void theSameSpecDeclaredTwiceIsOneState() {
    StatefulFunctions functions =
        new StatefulFunctions()
            .bind("example/counter", NOOP, COUNT, ValueSpec.named("count").withIntType());

    assertThat(functions.bindings().get(TypeName.parse("example/counter")).valueSpecs())
        .containsExactly(COUNT);
  }

  @Test
  void usingADeclaredStateWithAnotherTypeFailsAtThatUse() {
    FunctionTestHarness harness =
        FunctionTestHarness.forFunctions(
            new StatefulFunctions()
                .bind(
                    "example/counter",
                    (context, message) ->
                        context.storage().set(ValueSpec.named("count").withStringType(), "1"),
                    COUNT));

    assertThatThrownBy(
            () -> harness.invoke(Address.of("example/counter", "a"), TypedValue.of("go")))
        .hasMessageContaining(
            "Function type example/counter declares state 'count' as io.statefun.types/int and"
                + " as io.statefun.types/string");
  }
}
