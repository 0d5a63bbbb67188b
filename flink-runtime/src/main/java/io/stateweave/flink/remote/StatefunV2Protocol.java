package io.stateweave.flink.remote;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import io.stateweave.flink.message.Envelope;
import io.stateweave.flink.remote.v2.generated.Address;
import io.stateweave.flink.remote.v2.generated.FromFunction.DelayedInvocation;
import io.stateweave.flink.remote.v2.generated.FromFunction.EgressMessage;
import io.stateweave.flink.remote.v2.generated.FromFunction.Invocation;
import io.stateweave.flink.remote.v2.generated.FromFunction.InvocationResponse;
import io.stateweave.flink.remote.v2.generated.FromFunction.PersistedValueMutation;
import io.stateweave.flink.remote.v2.generated.ToFunction;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.reqreply.Protos;
import io.stateweave.sdk.reqreply.generated.FromFunction;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * StateFun's request-reply protocol of 2.x: messages are {@code google.protobuf.Any}, a state is
 * the bytes the function last set (its SDK writes a serialized {@code Any}), and every state
 * declared in module.yaml goes with every call, empty when it has no value, as StateFun 2.2 sent
 * them.
 *
 * <p>Messages cross between the generations as {@link TypedValue#of(Any)} and {@link
 * TypedValue#toAny()} define: an {@code Any}'s type URL is the value's type name and its bytes are
 * the value's, both ways. A 2.x function's {@code pack_and_send} of {@code example.User} is the
 * typed value {@code type.googleapis.com/example.User} a 3.x or embedded function unpacks, and a
 * 3.x string arrives at a 2.x function as an {@code Any} of type URL {@code
 * io.statefun.types/string}.
 */
final class StatefunV2Protocol implements RemoteProtocol {
  static final StatefunV2Protocol INSTANCE = new StatefunV2Protocol();

  /** What 2.x state bytes are: the function's SDK keeps a serialized {@code Any} in each. */
  static final TypeName STATE_TYPE = TypeName.parse("type.googleapis.com/google.protobuf.Any");

  private StatefunV2Protocol() {}

  @Override
  public byte[] request(
      io.stateweave.sdk.Address self, List<Envelope> batch, List<StateValue> states) {
    ToFunction.InvocationBatchRequest.Builder request =
        ToFunction.InvocationBatchRequest.newBuilder().setTarget(address(self));
    for (StateValue state : states) {
      request
          .addStateBuilder()
          .setStateName(state.spec().name())
          .setStateValue(
              state.value() == null
                  ? ByteString.EMPTY
                  : UnsafeByteOperations.unsafeWrap(state.value()));
    }
    for (Envelope envelope : batch) {
      ToFunction.Invocation.Builder invocation =
          request.addInvocationsBuilder().setArgument(envelope.payload().toAny());
      if (envelope.caller() != null) {
        invocation.setCaller(address(envelope.caller()));
      }
    }
    return ToFunction.newBuilder().setInvocation(request).build().toByteArray();
  }

  @Override
  public FromFunction answer(ByteBuffer body) throws IOException {
    io.stateweave.flink.remote.v2.generated.FromFunction answer =
        io.stateweave.flink.remote.v2.generated.FromFunction.parseFrom(
            CodedInputStream.newInstance(body));
    if (!answer.hasInvocationResult()) {
      return FromFunction.getDefaultInstance();
    }
    return FromFunction.newBuilder()
        .setInvocationResult(response(answer.getInvocationResult()))
        .build();
  }

  private static FromFunction.InvocationResponse response(InvocationResponse legacy)
      throws IOException {
    FromFunction.InvocationResponse.Builder response = FromFunction.InvocationResponse.newBuilder();
    for (PersistedValueMutation mutation : legacy.getStateMutationsList()) {
      // the numbers of DELETE and MODIFY are the same in both protocols; an unknown one stays so
      FromFunction.PersistedValueMutation.Builder converted =
          response
              .addStateMutationsBuilder()
              .setMutationTypeValue(mutation.getMutationTypeValue())
              .setStateName(mutation.getStateName());
      if (mutation.getMutationType() != PersistedValueMutation.MutationType.DELETE) {
        converted
            .getStateValueBuilder()
            .setTypename(STATE_TYPE.canonical())
            .setHasValue(true)
            .setValue(mutation.getStateValue());
      }
    }
    for (Invocation message : legacy.getOutgoingMessagesList()) {
      response
          .addOutgoingMessagesBuilder()
          .setTarget(address(message.getTarget()))
          .setArgument(typed(message.getArgument()));
    }
    for (DelayedInvocation delayed : legacy.getDelayedInvocationsList()) {
      response
          .addDelayedInvocationsBuilder()
          .setDelayInMs(delayed.getDelayInMs())
          .setTarget(address(delayed.getTarget()))
          .setArgument(typed(delayed.getArgument()));
    }
    for (EgressMessage egress : legacy.getOutgoingEgressesList()) {
      response
          .addOutgoingEgressesBuilder()
          .setEgressNamespace(egress.getEgressNamespace())
          .setEgressType(egress.getEgressType())
          .setArgument(typed(egress.getArgument()));
    }
    return response.build();
  }

  private static io.stateweave.sdk.reqreply.generated.TypedValue typed(Any any) throws IOException {
    try {
      return Protos.toProto(TypedValue.of(any));
    } catch (IllegalArgumentException e) {
      throw new IOException(
          "it sends a google.protobuf.Any of type URL '"
              + any.getTypeUrl()
              + "', which is no <prefix>/<message name>",
          e);
    }
  }

  private static Address address(io.stateweave.sdk.Address address) {
    return Address.newBuilder()
        .setNamespace(address.type().namespace())
        .setType(address.type().name())
        .setId(address.id())
        .build();
  }

  private static io.stateweave.sdk.reqreply.generated.Address address(Address address) {
    return io.stateweave.sdk.reqreply.generated.Address.newBuilder()
        .setNamespace(address.getNamespace())
        .setType(address.getType())
        .setId(address.getId())
        .build();
  }
}
