package io.stateweave.sdk.reqreply;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.sdk.Address;
import io.stateweave.sdk.Context;
import io.stateweave.sdk.Message;
import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.ValueSpec;
import io.stateweave.sdk.reqreply.generated.FromFunction;
import io.stateweave.sdk.reqreply.generated.ToFunction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.statefun.sdk.java.StatefulFunctionSpec;
import org.apache.flink.statefun.sdk.java.handler.RequestReplyHandler;
import org.apache.flink.statefun.sdk.java.message.EgressMessageBuilder;
import org.apache.flink.statefun.sdk.java.message.MessageBuilder;
import org.apache.flink.statefun.sdk.java.slice.Slices;
import org.junit.jupiter.api.Test;

/**
 * The same function written against our API and against the official StateFun Java SDK, given the
 * same requests: the answers must be the same protocol messages. This pins our handler to the
 * reference implementation of the protocol, field by field.
 */
class OfficialJavaSdkEquivalenceTest {
  private static final Address SELF = Address.of("test/fn", "me");
  private static final Address OTHER = Address.of("test/other", "o");
  private static final Address CALLER = Address.of("test/caller", "c");

  private static final ValueSpec<Integer> COUNT =
      ValueSpec.named("count").withIntType().thatExpiresAfterWrite(Duration.ofHours(1));
  private static final ValueSpec<String> LAST =
      ValueSpec.named("last").withStringType().thatExpiresAfterInvoke(Duration.ofMinutes(3));
  private static final ValueSpec<Boolean> FLAG = ValueSpec.named("flag").withBooleanType();

  private final io.stateweave.sdk.reqreply.RequestReplyHandler ours =
      io.stateweave.sdk.reqreply.RequestReplyHandler.of(
          new StatefulFunctions().bind("test/fn", this::oursInvoke, COUNT, LAST, FLAG));
  private final RequestReplyHandler theirs = theirHandler();

  /** Counts, remembers the last command, and does what the command says. */
  private void oursInvoke(Context context, Message message) {
    String command = message.asString();
    int count = context.storage().get(COUNT).orElse(0) + 1;
    context.storage().set(COUNT, count);
    context.storage().set(LAST, command);
    context.sendEgress(TypeName.parse("test/out"), TypedValue.of(SELF.id() + ":" + count));
    switch (command) {
      case "reply":
        context.reply(TypedValue.of("re:" + count));
        break;
      case "send":
        context.send(OTHER, TypedValue.of(count));
        break;
      case "later":
        context.sendAfter(Duration.ofSeconds(2), "t-" + SELF.id(), SELF, TypedValue.of("fire"));
        break;
      case "plain-later":
        context.sendAfter(Duration.ofMillis(250), OTHER, TypedValue.of(7L));
        break;
      case "cancel":
        context.cancelDelayedMessage("t-" + SELF.id());
        break;
      case "forget":
        context.storage().remove(COUNT);
        context.storage().remove(FLAG);
        break;
      default:
        context.storage().set(FLAG, !context.storage().get(FLAG).orElse(false));
    }
  }

  private static RequestReplyHandler theirHandler() {
    org.apache.flink.statefun.sdk.java.ValueSpec<Integer> count =
        org.apache.flink.statefun.sdk.java.ValueSpec.named("count")
            .thatExpireAfterWrite(Duration.ofHours(1))
            .withIntType();
    org.apache.flink.statefun.sdk.java.ValueSpec<String> last =
        org.apache.flink.statefun.sdk.java.ValueSpec.named("last")
            .thatExpiresAfterCall(Duration.ofMinutes(3))
            .withUtf8StringType();
    org.apache.flink.statefun.sdk.java.ValueSpec<Boolean> flag =
        org.apache.flink.statefun.sdk.java.ValueSpec.named("flag").withBooleanType();
    org.apache.flink.statefun.sdk.java.TypeName self = theirType(SELF);
    org.apache.flink.statefun.sdk.java.TypeName other = theirType(OTHER);
    org.apache.flink.statefun.sdk.java.StatefulFunction function =
        (context, message) -> {
          String command = message.asUtf8String();
          int seen = context.storage().get(count).orElse(0) + 1;
          context.storage().set(count, seen);
          context.storage().set(last, command);
          context.send(
              EgressMessageBuilder.forEgress(
                      org.apache.flink.statefun.sdk.java.TypeName.typeNameFromString("test/out"))
                  .withValue(SELF.id() + ":" + seen)
                  .build());
          switch (command) {
            case "reply":
              context.send(
                  MessageBuilder.forAddress(context.caller().orElseThrow())
                      .withValue("re:" + seen)
                      .build());
              break;
            case "send":
              context.send(MessageBuilder.forAddress(other, OTHER.id()).withValue(seen).build());
              break;
            case "later":
              context.sendAfter(
                  Duration.ofSeconds(2),
                  "t-" + SELF.id(),
                  MessageBuilder.forAddress(self, SELF.id()).withValue("fire").build());
              break;
            case "plain-later":
              context.sendAfter(
                  Duration.ofMillis(250),
                  MessageBuilder.forAddress(other, OTHER.id()).withValue(7L).build());
              break;
            case "cancel":
              context.cancelDelayedMessage("t-" + SELF.id());
              break;
            case "forget":
              context.storage().remove(count);
              context.storage().remove(flag);
              break;
            default:
              context.storage().set(flag, !context.storage().get(flag).orElse(false));
          }
          return CompletableFuture.completedFuture(null);
        };
    return new org.apache.flink.statefun.sdk.java.StatefulFunctions()
        .withStatefulFunction(
            StatefulFunctionSpec.builder(self)
                .withValueSpecs(count, last, flag)
                .withSupplier(() -> function))
        .requestReplyHandler();
  }

  private static org.apache.flink.statefun.sdk.java.TypeName theirType(Address address) {
    return org.apache.flink.statefun.sdk.java.TypeName.typeNameOf(
        address.type().namespace(), address.type().name());
  }

  @Test
  void sameMissingState() throws Exception {
    assertSameAnswer(Batches.to(SELF).state(LAST, "x").message(TypedValue.of("tick")).build());
    assertSameAnswer(Batches.to(SELF).message(TypedValue.of("tick")).build());
  }

  @Test
  void sameEffectsOfABatch() throws Exception {
    assertSameAnswer(
        Batches.to(SELF)
            .state(COUNT, 10)
            .emptyState(LAST)
            .state(FLAG, true)
            .message(TypedValue.of("tick"))
            .message(CALLER, TypedValue.of("reply"))
            .message(TypedValue.of("send"))
            .message(TypedValue.of("later"))
            .message(TypedValue.of("plain-later"))
            .message(TypedValue.of("cancel"))
            .build());
  }

  @Test
  void sameDeletes() throws Exception {
    assertSameAnswer(
        Batches.to(SELF)
            .state(COUNT, 1)
            .state(LAST, "before")
            .state(FLAG, false)
            .message(TypedValue.of("tick"))
            .message(TypedValue.of("forget"))
            .build());
  }

  private void assertSameAnswer(ToFunction request) throws Exception {
    byte[] bytes = request.toByteArray();
    FromFunction expected =
        FromFunction.parseFrom(theirs.handle(Slices.wrap(bytes)).get().toByteArray());

    FromFunction actual = FromFunction.parseFrom(ours.handle(bytes));

    assertThat(byStateName(actual)).isEqualTo(byStateName(expected));
  }

  /**
   * The SDK keeps a function's specs in a hash map, so the order of its missing values and state
   * mutations means nothing; everything else must match as it is.
   */
  private static FromFunction byStateName(FromFunction answer) {
    FromFunction.Builder sorted = answer.toBuilder();
    if (answer.hasIncompleteInvocationContext()) {
      List<FromFunction.PersistedValueSpec> missing =
          new ArrayList<>(answer.getIncompleteInvocationContext().getMissingValuesList());
      missing.sort(Comparator.comparing(FromFunction.PersistedValueSpec::getStateName));
      sorted
          .getIncompleteInvocationContextBuilder()
          .clearMissingValues()
          .addAllMissingValues(missing);
    }
    if (answer.hasInvocationResult()) {
      List<FromFunction.PersistedValueMutation> mutations =
          new ArrayList<>(answer.getInvocationResult().getStateMutationsList());
      mutations.sort(Comparator.comparing(FromFunction.PersistedValueMutation::getStateName));
      sorted.getInvocationResultBuilder().clearStateMutations().addAllStateMutations(mutations);
    }
    return sorted.build();
  }
}
