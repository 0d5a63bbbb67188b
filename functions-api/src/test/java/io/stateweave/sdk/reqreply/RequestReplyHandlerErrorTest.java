package io.stateweave.sdk.reqreply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.sdk.Address;
import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.reqreply.generated.FromFunction;
import io.stateweave.sdk.reqreply.generated.ToFunction;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Requests the handler cannot answer, and functions that fail. */
class RequestReplyHandlerErrorTest {
  private final RequestReplyHandler handler =
      RequestReplyHandler.of(
          new StatefulFunctions()
              .bind("test/echo", (context, message) -> context.reply(message.typedValue()))
              .bind(
                  "test/failing",
                  (context, message) -> {
                    throw new IOException("disk on fire");
                  }));

  @Test
  void anUnboundTargetTypeIsNamedWithTheBoundOnes() {
    assertThatThrownBy(
            () ->
                handler.handle(
                    Batches.to(Address.of("test/nope", "1")).message(TypedValue.of(1)).build()))
        .isInstanceOf(RequestReplyException.class)
        .hasMessageContaining("No function is bound to type test/nope")
        .hasMessageContaining("test/echo")
        .hasMessageContaining("test/failing");
  }

  @Test
  void bytesThatAreNotAToFunctionAreRejected() {
    assertThatThrownBy(() -> handler.handle(new byte[] {(byte) 0xff, 0x01, 0x02}))
        .isInstanceOf(RequestReplyException.class)
        .hasMessageContaining("not a ToFunction message (3 bytes)");
  }

  @Test
  void aRequestWithoutBatchOrTargetIsRejected() {
    assertThatThrownBy(() -> handler.handle(ToFunction.getDefaultInstance()))
        .isInstanceOf(RequestReplyException.class)
        .hasMessageContaining("no invocation batch");
    assertThatThrownBy(
            () ->
                handler.handle(
                    ToFunction.newBuilder()
                        .setInvocation(ToFunction.InvocationBatchRequest.getDefaultInstance())
                        .build()))
        .hasMessageContaining("no target address");
  }

  @Test
  void aFailingFunctionIsNamedWithTheMessageItFailedOn() {
    assertThatThrownBy(
            () ->
                handler.handle(
                    Batches.to(Address.of("test/failing", "f1"))
                        .message(Address.of("test/echo", "e"), TypedValue.of(7))
                        .build()))
        .isInstanceOf(RequestReplyException.class)
        .hasMessageContaining(
            "Function test/failing (id 'f1') failed on message 1 of 1 in the batch"
                + " (type io.statefun.types/int, from test/echo/e)")
        .hasMessageContaining("disk on fire")
        .hasCauseInstanceOf(IOException.class);
  }

  @Test
  void theByteFormRoundTrips() throws Exception {
    ToFunction request =
        Batches.to(Address.of("test/echo", "1"))
            .message(Address.of("test/caller", "c"), TypedValue.of("ping"))
            .build();

    FromFunction answer = FromFunction.parseFrom(handler.handle(request.toByteArray()));

    assertThat(answer).isEqualTo(handler.handle(request));
    assertThat(answer.getInvocationResult().getOutgoingMessages(0).getTarget().getType())
        .isEqualTo("caller");
  }
}
