package io.stateweave.flink.remote;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.stateweave.flink.remote.v2.generated.Address;
import io.stateweave.flink.remote.v2.generated.FromFunction;
import io.stateweave.flink.remote.v2.generated.FromFunction.InvocationResponse;
import io.stateweave.flink.remote.v2.generated.FromFunction.PersistedValueMutation.MutationType;
import io.stateweave.flink.remote.v2.generated.ToFunction;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The request-reply handler of StateFun's 2.x Python SDK, in Java: for the same request it gives
 * the same answer. States are the request's, by name, an empty value being none; a function bound
 * with type hints gets the message unpacked into the hinted class its type URL names, else the
 * {@code Any}; the answer lists the changed states in the request's order, then the messages,
 * delayed messages and egress records in the order the functions sent them. A function that throws
 * (also for a message of a type it has no hint for) fails the whole request, which the server
 * answers with 500, as Flask does.
 */
final class PythonSdkV2 {

  /** A bound function: {@code message} is the {@code Any}, or the unpacked hinted message. */
  interface Function {
    void invoke(Context context, Object message) throws Exception;
  }

  private record Binding(Function function, List<Message> hints) {}

  private final Map<String, Binding> functions = new LinkedHashMap<>();

  /** {@code functions.bind(typename)}; hints are default instances of the accepted messages. */
  PythonSdkV2 bind(String typename, Function function, Message... typeHints) {
    functions.put(typename, new Binding(function, List.of(typeHints)));
    return this;
  }

  byte[] handle(byte[] requestBytes) throws Exception {
    ToFunction.InvocationBatchRequest batch = ToFunction.parseFrom(requestBytes).getInvocation();
    Address target = batch.getTarget();
    Binding binding = functions.get(target.getNamespace() + "/" + target.getType());
    if (binding == null) {
      throw new IllegalArgumentException("Unable to find a function of type " + target);
    }
    Context context = new Context(target, batch.getStateList());
    for (ToFunction.Invocation invocation : batch.getInvocationsList()) {
      context.caller = invocation.hasCaller() ? invocation.getCaller() : null;
      binding.function().invoke(context, unpack(binding.hints(), invocation.getArgument()));
    }
    return context.answer();
  }

  private static Object unpack(List<Message> hints, Any any) throws InvalidProtocolBufferException {
    if (hints.isEmpty()) {
      return any;
    }
    String name = any.getTypeUrl().substring(any.getTypeUrl().lastIndexOf('/') + 1);
    for (Message hint : hints) {
      if (hint.getDescriptorForType().getFullName().equals(name)) {
        return hint.getParserForType().parseFrom(any.getValue());
      }
    }
    throw new IllegalArgumentException("Unknown message type " + any.getTypeUrl());
  }

  /** The function's context: its state handles and what it sent. */
  static final class Context {
    private final Address self;
    private Address caller;
    private final Map<String, StateHandle> states = new LinkedHashMap<>();
    private final InvocationResponse.Builder response = InvocationResponse.newBuilder();

    private Context(Address self, List<ToFunction.PersistedValue> values) {
      this.self = self;
      for (ToFunction.PersistedValue value : values) {
        states.put(value.getStateName(), new StateHandle(value.getStateValue()));
      }
    }

    Address address() {
      return self;
    }

    Address caller() {
      return caller;
    }

    /** {@code context[name]}: the value, or null. */
    Any get(String name) throws InvalidProtocolBufferException {
      StateHandle state = state(name);
      return state.value == null ? null : Any.parseFrom(state.value);
    }

    /** {@code context[name] = value} */
    void set(String name, Any value) {
      StateHandle state = state(name);
      state.value = value.toByteString();
      state.modified = true;
    }

    /** {@code del context[name]} */
    void delete(String name) {
      StateHandle state = state(name);
      state.value = null;
      state.modified = true;
    }

    void send(String typename, String id, Any message) {
      response.addOutgoingMessagesBuilder().setTarget(address(typename, id)).setArgument(message);
    }

    void packAndSend(String typename, String id, Message message) {
      send(typename, id, Any.pack(message));
    }

    void reply(Any message) {
      if (caller == null) {
        throw new IllegalStateException("Unable to reply without a caller");
      }
      response.addOutgoingMessagesBuilder().setTarget(caller).setArgument(message);
    }

    void packAndReply(Message message) {
      reply(Any.pack(message));
    }

    void sendAfter(Duration delay, String typename, String id, Any message) {
      response
          .addDelayedInvocationsBuilder()
          .setDelayInMs(delay.toMillis())
          .setTarget(address(typename, id))
          .setArgument(message);
    }

    void packAndSendAfter(Duration delay, String typename, String id, Message message) {
      sendAfter(delay, typename, id, Any.pack(message));
    }

    void sendEgress(String typename, Any message) {
      String[] parts = typename.split("/", 2);
      response
          .addOutgoingEgressesBuilder()
          .setEgressNamespace(parts[0])
          .setEgressType(parts[1])
          .setArgument(message);
    }

    void packAndSendEgress(String typename, Message message) {
      sendEgress(typename, Any.pack(message));
    }

    private StateHandle state(String name) {
      StateHandle state = states.get(name);
      if (state == null) {
        throw new IllegalStateException("unknown state name " + name);
      }
      return state;
    }

    private byte[] answer() {
      states.forEach(
          (name, state) -> {
            if (state.modified) {
              var mutation = response.addStateMutationsBuilder().setStateName(name);
              if (state.value == null) {
                mutation.setMutationType(MutationType.DELETE);
              } else {
                mutation.setMutationType(MutationType.MODIFY).setStateValue(state.value);
              }
            }
          });
      return FromFunction.newBuilder().setInvocationResult(response).build().toByteArray();
    }

    private static Address address(String typename, String id) {
      String[] parts = typename.split("/", 2);
      return Address.newBuilder().setNamespace(parts[0]).setType(parts[1]).setId(id).build();
    }
  }

  private static final class StateHandle {
    ByteString value;
    boolean modified;

    StateHandle(ByteString value) {
      this.value = value.isEmpty() ? null : value;
    }
  }

  private PythonSdkV2() {}

  static PythonSdkV2 functions() {
    return new PythonSdkV2();
  }
}
