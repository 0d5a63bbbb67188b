package io.stateweave.sdk.reqreply;

import com.google.protobuf.CodedInputStream;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.FunctionBinding;
import io.stateweave.sdk.Message;
import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.ValueSpec;
import io.stateweave.sdk.reqreply.generated.FromFunction;
import io.stateweave.sdk.reqreply.generated.ToFunction;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Serves Java functions as remote functions: answers StateFun's request-reply protocol the way the
 * official SDKs do, so the Stateweave runtime (or a StateFun cluster) can call them over HTTP.
 *
 * <p>A request is a batch of messages for one address together with the address's state. If the
 * request lacks a state the target function declared, the answer is an {@code
 * IncompleteInvocationContext} listing the missing specs, and the runtime sends the batch again
 * with them. Otherwise the function is invoked once per message, in order, with state changes
 * carried from one message to the next, and the answer holds the state mutations and everything the
 * function sent. Remote state lives in the runtime, which stores only what was declared, so a
 * function using undeclared state fails.
 *
 * <p>Thread-safe: it keeps nothing between requests. The runtime sends at most one batch per
 * address at a time; functions used by concurrent requests for different addresses must not keep
 * per-address data in fields (as always).
 */
public final class RequestReplyHandler {
  private final Map<TypeName, FunctionBinding> bindings;

  private RequestReplyHandler(Map<TypeName, FunctionBinding> bindings) {
    this.bindings = bindings;
  }

  /** Serves the functions bound in {@code functions} now; later bindings are not seen. */
  public static RequestReplyHandler of(StatefulFunctions functions) {
    Objects.requireNonNull(functions, "functions");
    return new RequestReplyHandler(Map.copyOf(functions.bindings()));
  }

  /**
   * Answers a serialized {@code ToFunction} with a serialized {@code FromFunction}.
   *
   * @throws RequestReplyException when the request does not parse, targets an unbound function
   *     type, or the function fails
   */
  public byte[] handle(byte[] toFunction) {
    Objects.requireNonNull(toFunction, "toFunction");
    return handle(CodedInputStream.newInstance(toFunction), toFunction.length).toByteArray();
  }

  /**
   * Answers a {@code ToFunction} of {@code size} bytes read from {@code toFunction}, which may wrap
   * a buffer the caller owns: nothing read from it is kept after the call.
   */
  FromFunction handle(CodedInputStream toFunction, int size) {
    ToFunction request;
    try {
      request = ToFunction.parseFrom(toFunction);
    } catch (IOException e) {
      // InvalidProtocolBufferException, which is what a request in memory can fail with
      throw new RequestReplyException(
          "The request is not a ToFunction message (" + size + " bytes): " + e.getMessage(), e);
    }
    return handle(request);
  }

  /** Answers a {@code ToFunction}; see {@link #handle(byte[])}. */
  public FromFunction handle(ToFunction request) {
    Objects.requireNonNull(request, "request");
    if (!request.hasInvocation()) {
      throw new RequestReplyException("The request carries no invocation batch");
    }
    ToFunction.InvocationBatchRequest batch = request.getInvocation();
    Address self = Protos.fromProtoOrNull(batch.getTarget());
    if (self == null) {
      throw new RequestReplyException("The invocation batch has no target address");
    }
    FunctionBinding binding = bindings.get(self.type());
    if (binding == null) {
      throw new RequestReplyException(
          "No function is bound to type "
              + self.type()
              + " (target "
              + self
              + "); bound types: "
              + bindings.keySet());
    }

    Map<String, ToFunction.PersistedValue> values = new HashMap<>();
    batch.getStateList().forEach(value -> values.put(value.getStateName(), value));
    List<ValueSpec<?>> missing = new ArrayList<>();
    for (ValueSpec<?> spec : binding.valueSpecs()) {
      if (!values.containsKey(spec.name())) {
        missing.add(spec);
      }
    }
    if (!missing.isEmpty()) {
      FromFunction.IncompleteInvocationContext.Builder incomplete =
          FromFunction.IncompleteInvocationContext.newBuilder();
      missing.forEach(spec -> incomplete.addMissingValues(Protos.toProto(spec)));
      return FromFunction.newBuilder().setIncompleteInvocationContext(incomplete).build();
    }

    BatchStorage storage = new BatchStorage(self, binding.valueSpecs(), values);
    FromFunction.InvocationResponse.Builder response = FromFunction.InvocationResponse.newBuilder();
    BatchContext context = new BatchContext(self, storage, response);
    List<ToFunction.Invocation> invocations = batch.getInvocationsList();
    for (int i = 0; i < invocations.size(); i++) {
      invoke(binding, context, invocations.get(i), i, invocations.size());
    }
    storage.mutations(response::addStateMutations);
    return FromFunction.newBuilder().setInvocationResult(response).build();
  }

  private static void invoke(
      FunctionBinding binding,
      BatchContext context,
      ToFunction.Invocation invocation,
      int index,
      int count) {
    Address caller = invocation.hasCaller() ? Protos.fromProtoOrNull(invocation.getCaller()) : null;
    TypedValue argument = Protos.fromProto(invocation.getArgument());
    context.setCaller(caller);
    try {
      binding.function().invoke(context, new Message(argument));
    } catch (Exception e) {
      throw new RequestReplyException(
          "Function "
              + binding.type()
              + " (id '"
              + context.self().id()
              + "') failed on message "
              + (index + 1)
              + " of "
              + count
              + " in the batch (type "
              + argument.typeName()
              + (caller == null ? "" : ", from " + caller)
              + "): "
              + e,
          e);
    }
  }
}
