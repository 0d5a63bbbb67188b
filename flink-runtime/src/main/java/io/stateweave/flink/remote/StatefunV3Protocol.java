package io.stateweave.flink.remote;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import io.stateweave.flink.message.Envelope;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.reqreply.Protos;
import io.stateweave.sdk.reqreply.generated.FromFunction;
import io.stateweave.sdk.reqreply.generated.ToFunction;
import io.stateweave.sdk.reqreply.generated.ToFunction.InvocationBatchRequest;
import io.stateweave.sdk.reqreply.generated.TypedValue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/** StateFun's request-reply protocol of 3.x: typed values, states the function registers. */
final class StatefunV3Protocol implements RemoteProtocol {
  static final StatefunV3Protocol INSTANCE = new StatefunV3Protocol();

  private StatefunV3Protocol() {}

  @Override
  public byte[] request(Address self, List<Envelope> batch, List<StateValue> states) {
    InvocationBatchRequest.Builder request =
        InvocationBatchRequest.newBuilder().setTarget(Protos.toProto(self));
    for (Envelope envelope : batch) {
      ToFunction.Invocation.Builder invocation =
          request.addInvocationsBuilder().setArgument(Protos.toProto(envelope.payload()));
      if (envelope.caller() != null) {
        invocation.setCaller(Protos.toProto(envelope.caller()));
      }
    }
    for (StateValue state : states) {
      TypedValue.Builder typed =
          request
              .addStateBuilder()
              .setStateName(state.spec().name())
              .getStateValueBuilder()
              .setTypename(state.spec().type().typeName().canonical())
              .setHasValue(state.value() != null);
      if (state.value() != null) {
        typed.setValue(UnsafeByteOperations.unsafeWrap(state.value()));
      }
    }
    return ToFunction.newBuilder().setInvocation(request).build().toByteArray();
  }

  @Override
  public FromFunction answer(ByteBuffer body) throws IOException {
    return FromFunction.parseFrom(CodedInputStream.newInstance(body));
  }
}
