package io.stateweave.sdk.reqreply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.sdk.Address;
import io.stateweave.sdk.StatefulFunction;
import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.ValueSpec;
import io.stateweave.sdk.reqreply.generated.FromFunction;
import io.stateweave.sdk.reqreply.generated.FromFunction.ExpirationSpec.ExpireMode;
import io.stateweave.sdk.reqreply.generated.FromFunction.PersistedValueMutation;
import io.stateweave.sdk.reqreply.generated.FromFunction.PersistedValueMutation.MutationType;
import io.stateweave.sdk.types.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** State over the protocol: missing declared state, values from the request, mutations. */
class RequestReplyHandlerStateTest {
  private static final ValueSpec<Integer> COUNT =
      ValueSpec.named("count").withIntType().thatExpiresAfterWrite(Duration.ofHours(1));
  private static final ValueSpec<String> NAME =
      ValueSpec.named("name").withStringType().thatExpiresAfterInvoke(Duration.ofMinutes(5));
  private static final ValueSpec<Boolean> SEEN = ValueSpec.named("seen").withBooleanType();
  private static final TypeName OUT = TypeName.parse("test/out");
  private static final Address SELF = Address.of("test/counter", "a");

  private final List<String> invocations = new ArrayList<>();

  /** Counts into COUNT, reads NAME, and emits "<name>:<count>". */
  private final StatefulFunction counter =
      (context, message) -> {
        invocations.add(message.asString());
        int count = context.storage().get(COUNT).orElse(0) + 1;
        context.storage().set(COUNT, count);
        String name = context.storage().get(NAME).orElse("?");
        context.sendEgress(OUT, TypedValue.of(name + ":" + count));
      };

  private final RequestReplyHandler handler =
      RequestReplyHandler.of(
          new StatefulFunctions().bind("test/counter", counter, COUNT, NAME, SEEN));

  @Test
  void missingDeclaredStateIsAskedForWithItsTypeAndExpiration() {
    FromFunction answer =
        handler.handle(Batches.to(SELF).state(NAME, "x").message(TypedValue.of("m")).build());

    assertThat(answer.hasIncompleteInvocationContext()).isTrue();
    List<FromFunction.PersistedValueSpec> missing =
        answer.getIncompleteInvocationContext().getMissingValuesList();
    assertThat(missing)
        .extracting(FromFunction.PersistedValueSpec::getStateName)
        .containsExactly("count", "seen");
    FromFunction.PersistedValueSpec count = missing.get(0);
    assertThat(count.getTypeTypename()).isEqualTo("io.statefun.types/int");
    assertThat(count.getExpirationSpec().getMode()).isEqualTo(ExpireMode.AFTER_WRITE);
    assertThat(count.getExpirationSpec().getExpireAfterMillis()).isEqualTo(3_600_000L);
    FromFunction.PersistedValueSpec seen = missing.get(1);
    assertThat(seen.getTypeTypename()).isEqualTo("io.statefun.types/bool");
    assertThat(seen.hasExpirationSpec()).as("no expiration, as the SDKs send it").isFalse();
    assertThat(invocations).as("nothing runs on an incomplete context").isEmpty();
  }

  @Test
  void afterInvokeExpirationIsAskedForToo() {
    FromFunction answer = handler.handle(Batches.to(SELF).message(TypedValue.of("m")).build());

    FromFunction.PersistedValueSpec name =
        answer.getIncompleteInvocationContext().getMissingValues(1);
    assertThat(name.getStateName()).isEqualTo("name");
    assertThat(name.getExpirationSpec().getMode()).isEqualTo(ExpireMode.AFTER_INVOKE);
    assertThat(name.getExpirationSpec().getExpireAfterMillis()).isEqualTo(300_000L);
  }

  @Test
  void onceAllDeclaredStateIsThereTheFunctionRuns() {
    FromFunction answer =
        handler.handle(
            Batches.to(SELF)
                .emptyState(COUNT)
                .emptyState(NAME)
                .emptyState(SEEN)
                .message(TypedValue.of("m"))
                .build());

    assertThat(answer.hasInvocationResult()).isTrue();
    assertThat(invocations).containsExactly("m");
    assertThat(answer.getInvocationResult().getStateMutationsList())
        .containsExactly(modify(COUNT, 1));
    assertThat(egressStrings(answer)).containsExactly("?:1");
  }

  @Test
  void stateStartsFromTheRequestAndAccumulatesAcrossTheBatch() {
    FromFunction answer =
        handler.handle(
            Batches.to(SELF)
                .state(COUNT, 5)
                .state(NAME, "bob")
                .emptyState(SEEN)
                .message(TypedValue.of("m1"))
                .message(Address.of("test/other", "b"), TypedValue.of("m2"))
                .message(TypedValue.of("m3"))
                .build());

    assertThat(invocations).containsExactly("m1", "m2", "m3");
    assertThat(egressStrings(answer)).containsExactly("bob:6", "bob:7", "bob:8");
    assertThat(answer.getInvocationResult().getStateMutationsList())
        .as("one mutation with the last value; none for state that was only read")
        .containsExactly(modify(COUNT, 8));
  }

  @Test
  void removedStateIsDeletedAndTheLastChangeInTheBatchWins() {
    StatefulFunction function =
        (context, message) -> {
          switch (message.asString()) {
            case "remove-count":
              context.storage().remove(COUNT);
              break;
            case "set-name":
              context.storage().set(NAME, "set");
              break;
            case "remove-name":
              context.storage().remove(NAME);
              break;
            case "check":
              context.sendEgress(
                  OUT,
                  TypedValue.of(
                      context.storage().get(COUNT).isPresent()
                          + ","
                          + context.storage().get(NAME).isPresent()
                          + ","
                          + context.storage().get(SEEN).orElse(false)));
              break;
            default:
              context.storage().set(SEEN, true);
          }
        };
    RequestReplyHandler handler =
        RequestReplyHandler.of(
            new StatefulFunctions().bind("test/counter", function, COUNT, NAME, SEEN));

    FromFunction answer =
        handler.handle(
            Batches.to(SELF)
                .state(COUNT, 3)
                .emptyState(NAME)
                .state(SEEN, false)
                .message(TypedValue.of("remove-count"))
                .message(TypedValue.of("set-name"))
                .message(TypedValue.of("remove-name"))
                .message(TypedValue.of("set-seen"))
                .message(TypedValue.of("check"))
                .build());

    assertThat(egressStrings(answer)).containsExactly("false,false,true");
    assertThat(answer.getInvocationResult().getStateMutationsList())
        .containsExactly(
            PersistedValueMutation.newBuilder()
                .setStateName("count")
                .setMutationType(MutationType.DELETE)
                .build(),
            PersistedValueMutation.newBuilder()
                .setStateName("name")
                .setMutationType(MutationType.DELETE)
                .build(),
            modify(SEEN, true));
  }

  @Test
  void stateThatWasNotDeclaredCannotBeUsed() {
    ValueSpec<Long> undeclared = ValueSpec.named("total").withLongType();
    RequestReplyHandler handler =
        RequestReplyHandler.of(
            new StatefulFunctions()
                .bind("test/counter", (context, message) -> context.storage().get(undeclared)));

    assertThatThrownBy(() -> handler.handle(Batches.to(SELF).message(TypedValue.of("m")).build()))
        .isInstanceOf(RequestReplyException.class)
        .hasMessageContaining("test/counter (id 'a')")
        .hasRootCauseInstanceOf(IllegalStateException.class)
        .rootCause()
        .hasMessageContaining("state 'total', which it did not declare")
        .hasMessageContaining("ValueSpec.named(\"total\")");
  }

  @Test
  void stateIsUsedWithItsDeclaredType() {
    ValueSpec<Long> countAsLong = ValueSpec.named("count").withLongType();
    RequestReplyHandler handler =
        RequestReplyHandler.of(
            new StatefulFunctions()
                .bind(
                    "test/counter",
                    (context, message) -> context.storage().set(countAsLong, 1L),
                    COUNT));

    assertThatThrownBy(
            () ->
                handler.handle(
                    Batches.to(SELF).emptyState(COUNT).message(TypedValue.of("m")).build()))
        .isInstanceOf(RequestReplyException.class)
        .rootCause()
        .hasMessageContaining(
            "Function type test/counter declares state 'count' as io.statefun.types/int and as"
                + " io.statefun.types/long");
  }

  @Test
  void aValueOfAnotherTypeInTheRequestIsNotMisread() {
    ValueSpec<Integer> plainCount = ValueSpec.named("count").withIntType();
    RequestReplyHandler handler =
        RequestReplyHandler.of(
            new StatefulFunctions()
                .bind(
                    "test/counter",
                    (context, message) -> context.storage().get(plainCount),
                    plainCount));
    ValueSpec<String> countAsString = ValueSpec.named("count").withStringType();

    assertThatThrownBy(
            () ->
                handler.handle(
                    Batches.to(SELF).state(countAsString, "x").message(TypedValue.of("m")).build()))
        .rootCause()
        .hasMessageContaining("arrived with type io.statefun.types/string")
        .hasMessageContaining("declared with type io.statefun.types/int");
  }

  @Test
  void stateCannotBeSetToNull() {
    RequestReplyHandler handler =
        RequestReplyHandler.of(
            new StatefulFunctions()
                .bind(
                    "test/counter",
                    (context, message) -> context.storage().set(COUNT, null),
                    COUNT));

    assertThatThrownBy(
            () ->
                handler.handle(
                    Batches.to(SELF).emptyState(COUNT).message(TypedValue.of("m")).build()))
        .rootCause()
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("remove it instead");
  }

  private static <T> PersistedValueMutation modify(ValueSpec<T> spec, T value) {
    return PersistedValueMutation.newBuilder()
        .setStateName(spec.name())
        .setMutationType(MutationType.MODIFY)
        .setStateValue(Batches.typed(TypedValue.of(spec.type(), value)))
        .build();
  }

  private static List<String> egressStrings(FromFunction answer) {
    List<String> records = new ArrayList<>();
    for (FromFunction.EgressMessage egress :
        answer.getInvocationResult().getOutgoingEgressesList()) {
      records.add(Types.STRING.deserialize(egress.getArgument().getValue().toByteArray()));
    }
    return records;
  }
}
