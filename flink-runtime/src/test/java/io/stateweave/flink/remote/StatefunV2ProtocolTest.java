package io.stateweave.flink.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import io.stateweave.flink.message.Envelope;
import io.stateweave.flink.remote.v2.examples.User;
import io.stateweave.flink.remote.v2.generated.Address;
import io.stateweave.flink.remote.v2.generated.FromFunction.InvocationResponse;
import io.stateweave.flink.remote.v2.generated.FromFunction.PersistedValueMutation.MutationType;
import io.stateweave.flink.remote.v2.generated.ToFunction;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.ValueSpec;
import io.stateweave.sdk.reqreply.generated.FromFunction;
import io.stateweave.sdk.reqreply.generated.FromFunction.PersistedValueMutation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The 2.x protocol's bytes both ways, and their reading into the 3.x answer the runtime applies.
 */
class StatefunV2ProtocolTest {
  private static final TypeName GREETER = TypeName.parse("example/greeter");
  private static final io.stateweave.sdk.Address SELF = new io.stateweave.sdk.Address(GREETER, "a");
  private static final User SETH = User.newBuilder().setUserId("user1").setName("Seth").build();
  private static final ValueSpec<byte[]> SEEN =
      ValueSpec.named("seen_count").withType(new RawType(StatefunV2Protocol.STATE_TYPE));
  private static final ValueSpec<byte[]> LAST =
      ValueSpec.named("last").withType(new RawType(StatefunV2Protocol.STATE_TYPE));

  @Test
  void requestCarriesEveryStateEmptyWhenAbsentAndMessagesAsAny() throws Exception {
    byte[] seen = Any.pack(SETH).toByteArray();
    byte[] body =
        StatefunV2Protocol.INSTANCE.request(
            SELF,
            List.of(
                new Envelope(SELF, null, TypedValue.pack(SETH)),
                new Envelope(
                    SELF,
                    new io.stateweave.sdk.Address(TypeName.parse("example/caller"), "c"),
                    TypedValue.of("hi"))),
            List.of(
                new RemoteProtocol.StateValue(SEEN, seen),
                new RemoteProtocol.StateValue(LAST, null)));

    ToFunction.InvocationBatchRequest request = ToFunction.parseFrom(body).getInvocation();
    assertThat(request)
        .isEqualTo(
            ToFunction.InvocationBatchRequest.newBuilder()
                .setTarget(address("example", "greeter", "a"))
                .addState(
                    ToFunction.PersistedValue.newBuilder()
                        .setStateName("seen_count")
                        .setStateValue(ByteString.copyFrom(seen)))
                .addState(ToFunction.PersistedValue.newBuilder().setStateName("last"))
                .addInvocations(ToFunction.Invocation.newBuilder().setArgument(Any.pack(SETH)))
                .addInvocations(
                    ToFunction.Invocation.newBuilder()
                        .setCaller(address("example", "caller", "c"))
                        .setArgument(
                            Any.newBuilder()
                                .setTypeUrl("io.statefun.types/string")
                                .setValue(ByteString.copyFrom(TypedValue.of("hi").bytes()))))
                .build());
  }

  @Test
  void answerBecomesTheThreeXAnswerWithTypeUrlsAsTypeNames() throws Exception {
    Any state = Any.pack(SETH);
    InvocationResponse legacy =
        InvocationResponse.newBuilder()
            .addStateMutations(
                io.stateweave.flink.remote.v2.generated.FromFunction.PersistedValueMutation
                    .newBuilder()
                    .setStateName("seen_count")
                    .setMutationType(MutationType.MODIFY)
                    .setStateValue(state.toByteString()))
            .addStateMutations(
                io.stateweave.flink.remote.v2.generated.FromFunction.PersistedValueMutation
                    .newBuilder()
                    .setStateName("last")
                    .setMutationType(MutationType.DELETE))
            .addOutgoingMessages(
                io.stateweave.flink.remote.v2.generated.FromFunction.Invocation.newBuilder()
                    .setTarget(address("example", "hello", "user1"))
                    .setArgument(Any.pack(SETH)))
            .addDelayedInvocations(
                io.stateweave.flink.remote.v2.generated.FromFunction.DelayedInvocation.newBuilder()
                    .setDelayInMs(1500)
                    .setTarget(address("example", "goodbye", "user1"))
                    .setArgument(Any.pack(SETH)))
            .addOutgoingEgresses(
                io.stateweave.flink.remote.v2.generated.FromFunction.EgressMessage.newBuilder()
                    .setEgressNamespace("example")
                    .setEgressType("greets")
                    .setArgument(Any.pack(SETH)))
            .build();

    FromFunction answer = answer(legacy);

    io.stateweave.sdk.reqreply.generated.TypedValue user =
        io.stateweave.sdk.reqreply.generated.TypedValue.newBuilder()
            .setTypename("type.googleapis.com/example.User")
            .setHasValue(true)
            .setValue(SETH.toByteString())
            .build();
    assertThat(answer)
        .isEqualTo(
            FromFunction.newBuilder()
                .setInvocationResult(
                    FromFunction.InvocationResponse.newBuilder()
                        .addStateMutations(
                            PersistedValueMutation.newBuilder()
                                .setMutationType(PersistedValueMutation.MutationType.MODIFY)
                                .setStateName("seen_count")
                                .setStateValue(
                                    io.stateweave.sdk.reqreply.generated.TypedValue.newBuilder()
                                        .setTypename("type.googleapis.com/google.protobuf.Any")
                                        .setHasValue(true)
                                        .setValue(state.toByteString())))
                        .addStateMutations(
                            PersistedValueMutation.newBuilder()
                                .setMutationType(PersistedValueMutation.MutationType.DELETE)
                                .setStateName("last"))
                        .addOutgoingMessages(
                            FromFunction.Invocation.newBuilder()
                                .setTarget(address3("example", "hello", "user1"))
                                .setArgument(user))
                        .addDelayedInvocations(
                            FromFunction.DelayedInvocation.newBuilder()
                                .setDelayInMs(1500)
                                .setTarget(address3("example", "goodbye", "user1"))
                                .setArgument(user))
                        .addOutgoingEgresses(
                            FromFunction.EgressMessage.newBuilder()
                                .setEgressNamespace("example")
                                .setEgressType("greets")
                                .setArgument(user)))
                .build());
  }

  @Test
  void answerWithoutAResultIsReturnedWithoutOne() throws Exception {
    FromFunction answer = StatefunV2Protocol.INSTANCE.answer(ByteBuffer.wrap(new byte[0]));

    assertThat(answer.getResponseCase()).isEqualTo(FromFunction.ResponseCase.RESPONSE_NOT_SET);
  }

  @Test
  void messageWhoseTypeUrlIsNoTypeName() {
    InvocationResponse legacy =
        InvocationResponse.newBuilder()
            .addOutgoingMessages(
                io.stateweave.flink.remote.v2.generated.FromFunction.Invocation.newBuilder()
                    .setTarget(address("example", "hello", "user1"))
                    .setArgument(Any.newBuilder().setTypeUrl("User")))
            .build();

    IOException e = assertThrows(IOException.class, () -> answer(legacy));
    assertThat(e)
        .hasMessage(
            "it sends a google.protobuf.Any of type URL 'User', which is no <prefix>/<message"
                + " name>");
  }

  private static FromFunction answer(InvocationResponse legacy) throws IOException {
    byte[] bytes =
        io.stateweave.flink.remote.v2.generated.FromFunction.newBuilder()
            .setInvocationResult(legacy)
            .build()
            .toByteArray();
    // a buffer with bytes around the answer, as a network buffer may have
    byte[] padded = Arrays.copyOf(bytes, bytes.length + 3);
    return StatefunV2Protocol.INSTANCE.answer(ByteBuffer.wrap(padded, 0, bytes.length));
  }

  private static Address address(String namespace, String type, String id) {
    return Address.newBuilder().setNamespace(namespace).setType(type).setId(id).build();
  }

  private static io.stateweave.sdk.reqreply.generated.Address address3(
      String namespace, String type, String id) {
    return io.stateweave.sdk.reqreply.generated.Address.newBuilder()
        .setNamespace(namespace)
        .setType(type)
        .setId(id)
        .build();
  }
}
