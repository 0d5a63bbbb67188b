package io.stateweave.sdk.reqreply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.sdk.Address;
import io.stateweave.sdk.StatefulFunction;
import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.reqreply.generated.FromFunction;
import io.stateweave.sdk.reqreply.generated.FromFunction.InvocationResponse;
import io.stateweave.sdk.testing.proto.User;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a function sends, as it appears in the {@code InvocationResponse}. */
class RequestReplyHandlerMessagingTest {
  private static final Address SELF = Address.of("test/fn", "self");
  private static final Address OTHER = Address.of("test/other", "o1");
  private static final Address CALLER_1 = Address.of("test/caller", "c1");
  private static final Address CALLER_2 = Address.of("test/caller", "c2");
  private static final TypeName EGRESS = TypeName.parse("io.example/out");

  private static InvocationResponse run(StatefulFunction function, Batches batch) {
    FromFunction answer =
        RequestReplyHandler.of(new StatefulFunctions().bind("test/fn", function))
            .handle(batch.build());
    assertThat(answer.hasInvocationResult()).isTrue();
    return answer.getInvocationResult();
  }

  @Test
  void sendsToOtherFunctions() {
    InvocationResponse response =
        run(
            (context, message) -> {
              context.send(OTHER, TypedValue.of(42));
              context.packAndSend(SELF, User.newBuilder().setName("ann").build());
            },
            Batches.to(SELF).message(TypedValue.of("go")));

    assertThat(response.getOutgoingMessagesList())
        .containsExactly(
            FromFunction.Invocation.newBuilder()
                .setTarget(Batches.address(OTHER))
                .setArgument(Batches.typed(TypedValue.of(42)))
                .build(),
            FromFunction.Invocation.newBuilder()
                .setTarget(Batches.address(SELF))
                .setArgument(
                    Batches.typed(TypedValue.pack(User.newBuilder().setName("ann").build())))
                .build());
    assertThat(response.getOutgoingMessages(1).getArgument().getTypename())
        .isEqualTo("type.googleapis.com/" + User.getDescriptor().getFullName());
    assertThat(response.getStateMutationsList()).isEmpty();
    assertThat(response.getDelayedInvocationsList()).isEmpty();
    assertThat(response.getOutgoingEgressesList()).isEmpty();
  }

  @Test
  void repliesGoToTheCallerOfEachMessage() {
    InvocationResponse response =
        run(
            (context, message) -> {
              assertThat(context.self()).isEqualTo(SELF);
              context.reply(TypedValue.of("hi " + context.caller().orElseThrow().id()));
            },
            Batches.to(SELF)
                .message(CALLER_1, TypedValue.of("a"))
                .message(CALLER_2, TypedValue.of("b")));

    assertThat(response.getOutgoingMessagesList())
        .extracting(invocation -> invocation.getTarget().getId())
        .containsExactly("c1", "c2");
    assertThat(response.getOutgoingMessages(0).getArgument())
        .isEqualTo(Batches.typed(TypedValue.of("hi c1")));
  }

  @Test
  void aMessageFromAnIngressHasNoCallerToReplyTo() {
    assertThatThrownBy(
            () ->
                run(
                    (context, message) -> context.reply(TypedValue.of("hi")),
                    Batches.to(SELF)
                        .message(CALLER_1, TypedValue.of("a"))
                        .message(TypedValue.of("b"))))
        .isInstanceOf(RequestReplyException.class)
        .hasMessageContaining("failed on message 2 of 2")
        .rootCause()
        .hasMessageContaining("cannot reply: the message it handles had no caller");
  }

  @Test
  void delayedMessagesCarryDelayTargetArgumentAndToken() {
    InvocationResponse response =
        run(
            (context, message) -> {
              context.sendAfter(Duration.ofSeconds(2), OTHER, TypedValue.of("plain"));
              context.sendAfter(Duration.ofMillis(1500), "token-1", SELF, TypedValue.of("tokened"));
            },
            Batches.to(SELF).message(TypedValue.of("go")));

    assertThat(response.getDelayedInvocationsList())
        .containsExactly(
            FromFunction.DelayedInvocation.newBuilder()
                .setDelayInMs(2000)
                .setTarget(Batches.address(OTHER))
                .setArgument(Batches.typed(TypedValue.of("plain")))
                .build(),
            FromFunction.DelayedInvocation.newBuilder()
                .setDelayInMs(1500)
                .setTarget(Batches.address(SELF))
                .setArgument(Batches.typed(TypedValue.of("tokened")))
                .setCancellationToken("token-1")
                .build());
    assertThat(response.getDelayedInvocations(1).getIsCancellationRequest()).isFalse();
  }

  @Test
  void cancellationIsARequestWithTheTokenOnly() {
    InvocationResponse response =
        run(
            (context, message) -> context.cancelDelayedMessage("token-1"),
            Batches.to(SELF).message(TypedValue.of("cancel")));

    assertThat(response.getDelayedInvocationsList())
        .containsExactly(
            FromFunction.DelayedInvocation.newBuilder()
                .setIsCancellationRequest(true)
                .setCancellationToken("token-1")
                .build());
    assertThat(response.getDelayedInvocations(0).hasTarget()).isFalse();
  }

  @Test
  void emptyTokensAndNegativeDelaysAreRejected() {
    assertThatThrownBy(
            () ->
                run(
                    (context, message) -> context.cancelDelayedMessage(""),
                    Batches.to(SELF).message(TypedValue.of("x"))))
        .rootCause()
        .hasMessageContaining("A cancellation token must not be empty");
    assertThatThrownBy(
            () ->
                run(
                    (context, message) ->
                        context.sendAfter(Duration.ofMillis(-1), OTHER, TypedValue.of(1)),
                    Batches.to(SELF).message(TypedValue.of("x"))))
        .rootCause()
        .hasMessageContaining("A delay must not be negative");
  }

  @Test
  void egressRecordsNameTheEgressByNamespaceAndType() {
    InvocationResponse response =
        run(
            (context, message) -> {
              context.sendEgress(EGRESS, TypedValue.of("one"));
              context.packAndSendEgress(EGRESS, User.newBuilder().setName("two").build());
            },
            Batches.to(SELF).message(TypedValue.of("go")));

    assertThat(response.getOutgoingEgressesList())
        .containsExactly(
            FromFunction.EgressMessage.newBuilder()
                .setEgressNamespace("io.example")
                .setEgressType("out")
                .setArgument(Batches.typed(TypedValue.of("one")))
                .build(),
            FromFunction.EgressMessage.newBuilder()
                .setEgressNamespace("io.example")
                .setEgressType("out")
                .setArgument(
                    Batches.typed(TypedValue.pack(User.newBuilder().setName("two").build())))
                .build());
  }

  @Test
  void effectsOfTheWholeBatchAreCollectedInOrder() {
    InvocationResponse response =
        run(
            (context, message) -> {
              String text = message.asString();
              context.send(OTHER, TypedValue.of(text));
              context.sendEgress(EGRESS, TypedValue.of(text));
              context.sendAfter(Duration.ofMillis(10), SELF, TypedValue.of(text));
            },
            Batches.to(SELF)
                .message(TypedValue.of("1"))
                .message(CALLER_1, TypedValue.of("2"))
                .message(TypedValue.of("3")));

    assertThat(response.getOutgoingMessagesList())
        .extracting(m -> m.getArgument())
        .containsExactly(
            Batches.typed(TypedValue.of("1")),
            Batches.typed(TypedValue.of("2")),
            Batches.typed(TypedValue.of("3")));
    assertThat(response.getOutgoingEgressesCount()).isEqualTo(3);
    assertThat(response.getDelayedInvocations(2).getArgument())
        .isEqualTo(Batches.typed(TypedValue.of("3")));
  }
}
