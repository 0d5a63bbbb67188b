package io.stateweave.flink.remote;

import io.stateweave.flink.ingress.DeadLetter;
import io.stateweave.flink.message.Envelope;
import io.stateweave.flink.message.EnvelopeSerializer;
import io.stateweave.flink.module.HttpEndpointSpec;
import io.stateweave.flink.module.LegacyFunctionSpec;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.ValueSpec;
import io.stateweave.sdk.reqreply.Protos;
import io.stateweave.sdk.reqreply.generated.FromFunction;
import io.stateweave.sdk.reqreply.generated.FromFunction.ExpirationSpec;
import io.stateweave.sdk.reqreply.generated.FromFunction.PersistedValueMutation;
import io.stateweave.sdk.reqreply.generated.FromFunction.PersistedValueSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.common.typeutils.base.array.LongPrimitiveArraySerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.internal.InternalMapState;
import org.apache.flink.runtime.state.internal.InternalValueState;
import org.apache.flink.util.function.ThrowingRunnable;

/**
 * The dispatcher's remote functions: every message for one goes through here, on the task thread,
 * with the address id as the current key.
 *
 * <p>An address's messages wait in keyed state, in a queue per function type (the namespace)
 * numbered in arrival order, until a call has delivered them. At most one call per address is in
 * flight: it carries the queue's first messages, at most the endpoint's {@code
 * maxNumBatchRequests}; messages arriving meanwhile wait behind it and go together in the next
 * call. A call's messages leave the queue only when its answer has been applied, so a checkpoint
 * holds every call in flight as the queue's head, and after a restore the calls are made again.
 *
 * <p>Calls run on the {@link HttpTransport}'s event loop; an ended call comes back through the
 * task's mailbox. When as many calls are in flight as the capacity allows, or an address has a
 * full batch waiting, {@link #mustWait} tells the dispatcher to take no more input (as StateFun
 * did): messages from the loop and from timers are still delivered.
 */
public final class RemoteFunctions implements AutoCloseable {
  static final String QUEUE_STATE = "stateweave-remote-queue";
  static final String PROGRESS_STATE = "stateweave-remote-progress";

  // An address's progress through its queue: the number of its first message, how many of the
  // first ones the call in flight carries (0: none in flight), the number the next message gets,
  // and whether a full batch waits (1) behind the call.
  private static final int HEAD = 0;
  private static final int SENT = 1;
  private static final int TAIL = 2;
  private static final int BLOCKING = 3;

  /** What the dispatcher offers its remote functions; every method runs on the task thread. */
  public interface Host {
    void switchKey(String id);

    /** Binds a state the function registered; fails if the name is bound otherwise. */
    void registerState(TypeName function, ValueSpec<byte[]> spec);

    /** The current key's value, or null; reading refreshes a time to live that counts reads. */
    byte[] readState(TypeName function, ValueSpec<byte[]> spec) throws Exception;

    /** Sets the current key's value; null clears it. */
    void writeState(TypeName function, ValueSpec<byte[]> spec, byte[] value) throws Exception;

    void send(Envelope envelope);

    void sendAfter(Duration delay, Envelope envelope, String cancellationToken);

    void cancelDelayed(Address sender, String cancellationToken);

    void egress(Address sender, TypeName egress, TypedValue record);

    /** Runs {@code action} later on the task thread, then delivers what it sent locally. */
    void runOnTaskThread(ThrowingRunnable<Exception> action, String description)
        throws RejectedExecutionException;
  }

  private final RemoteSpec spec;
  private final Host host;
  private final KeyedStateBackend<String> backend;
  private final Function<TypeName, MetricGroup> metricGroups;
  private final HttpTransport transport;
  private final InternalMapState<String, String, Long, Envelope> queue;
  private final InternalValueState<String, String, long[]> progress;
  private final Map<TypeName, RemoteFunctionType> types = new HashMap<>();
  private int callsInFlight;
  private int addressesBlocking;

  /** @param metricGroups the group of a function type's metrics, shared with the dispatcher's */
  @SuppressWarnings("unchecked")
  public RemoteFunctions(
      RemoteSpec spec,
      Host host,
      KeyedStateBackend<String> backend,
      Function<TypeName, MetricGroup> metricGroups,
      ThreadFactory ioThreads)
      throws Exception {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.host = Objects.requireNonNull(host, "host");
    this.backend = Objects.requireNonNull(backend, "backend");
    this.metricGroups = Objects.requireNonNull(metricGroups, "metricGroups");
    this.queue =
        (InternalMapState<String, String, Long, Envelope>)
            backend.getOrCreateKeyedState(
                StringSerializer.INSTANCE,
                new MapStateDescriptor<>(
                    QUEUE_STATE, LongSerializer.INSTANCE, new EnvelopeSerializer()));
    this.progress =
        (InternalValueState<String, String, long[]>)
            backend.getOrCreateKeyedState(
                StringSerializer.INSTANCE,
                new ValueStateDescriptor<>(PROGRESS_STATE, LongPrimitiveArraySerializer.INSTANCE));
    this.transport =
        spec.endpoints().isEmpty() ? null : new HttpTransport(ioThreads);
  }

  /** Whether an endpoint serves this function type. */
  public boolean serves(TypeName functionType) {
    return types.containsKey(functionType) || spec.isRemote(functionType);
  }

  /**
   * Whether the dispatcher should take no input for now: as many calls are in flight as the
   * capacity allows, or an address has a full batch waiting behind its call.
   */
  public boolean mustWait() {
    return addressesBlocking > 0 || callsInFlight >= spec.capacity();
  }

  /** A message for a remote function; its target's id is the current key. */
  public void onMessage(Envelope envelope) throws Exception {
    RemoteFunctionType type = type(envelope.target().type());
    focus(type);
    long[] at = progress.value();
    if (at == null) {
      at = new long[4];
    }
    queue.put(at[TAIL], envelope);
    at[TAIL]++;
    if (at[SENT] == 0) {
      call(type, envelope.target(), at, envelope);
    } else if (at[BLOCKING] == 0 && waiting(at) >= type.maxBatch()) {
      at[BLOCKING] = 1;
      addressesBlocking++;
    }
    progress.update(at);
  }

  /** Calls in flight now, also those waiting for their function type's first answer. */
  int callsInFlight() {
    return callsInFlight;
  }

  private static long waiting(long[] at) {
    return at[TAIL] - at[HEAD] - at[SENT];
  }

  /**
   * Starts the call of the queue's first messages; {@code added} is the message just queued, which
   * saves reading it back when it is the only one.
   */
  private void call(RemoteFunctionType type, Address self, long[] at, Envelope added)
      throws Exception {
    int size = (int) Math.min(type.maxBatch(), at[TAIL] - at[HEAD]);
    at[SENT] = size;
    callsInFlight++;
    if (!type.mayCall()) {
      type.deferred.add(self.id());
      return;
    }
    send(type, self, size == 1 && added != null ? List.of(added) : read(at[HEAD], size));
  }

  /** Calls the messages of the current key's queue that {@code at} counts as sent. */
  private void resend(RemoteFunctionType type, String id, long[] at) throws Exception {
    send(type, new Address(type.name(), id), read(at[HEAD], (int) at[SENT]));
  }

  private void send(RemoteFunctionType type, Address self, List<Envelope> batch)
      throws Exception {
    send(new RemoteCall(type, self, batch, transport, spec.retry(), this::ended));
  }

  private List<Envelope> read(long head, int size) throws Exception {
    List<Envelope> batch = new ArrayList<>(size);
    for (long number = head; number < head + size; number++) {
      batch.add(queue.get(number));
    }
    return batch;
  }

  private void send(RemoteCall call) throws Exception {
    call.type().metrics().called(call.batch().size());
    call.send(toFunction(call.type(), call.self(), call.batch()), call.type().valueSpecs.size());
  }

  /** From the event loop: the call's end goes to the task thread. */
  private void ended(RemoteCall call) {
    try {
      host.runOnTaskThread(() -> complete(call), "stateweave remote call");
    } catch (RejectedExecutionException e) {
      // the task is closing; the call is in the checkpoint and made again after a restore
    }
  }

  private void complete(RemoteCall call) throws Exception {
    RemoteFunctionType type = call.type();
    Address self = call.self();
    host.switchKey(self.id());
    focus(type);
    List<String> released = type.answered();
    FromFunction answer = call.answer();
    if (answer == null) {
      if (spec.retry().onFailure() == RetryPolicy.OnFailure.FAIL) {
        throw new RemoteFunctionException(call.failure(), call.failureCause());
      }
      deadLetters(call);
    } else if (answer.hasIncompleteInvocationContext()) {
      register(
          type, self, call.statesSent(), answer.getIncompleteInvocationContext().getMissingValuesList());
      send(call);
      callDeferred(type, released);
      return;
    } else {
      apply(type, self, answer.getInvocationResult());
      type.metrics().invoked(call.batch().size());
    }
    long[] at = progress.value();
    for (long number = at[HEAD]; number < at[HEAD] + at[SENT]; number++) {
      queue.remove(number);
    }
    at[HEAD] += at[SENT];
    at[SENT] = 0;
    callsInFlight--;
    if (at[TAIL] > at[HEAD]) {
      call(type, self, at, null);
    }
    if (at[BLOCKING] == 1 && waiting(at) < type.maxBatch()) {
      at[BLOCKING] = 0;
      addressesBlocking--;
    }
    if (at[TAIL] == at[HEAD]) {
      progress.clear();
    } else {
      progress.update(at);
    }
    callDeferred(type, released);
  }

  /** Makes the calls that waited for the type's first answer. */
  private void callDeferred(RemoteFunctionType type, List<String> ids) throws Exception {
    for (String id : ids) {
      host.switchKey(id);
      focus(type);
      resend(type, id, progress.value());
    }
  }

  /**
   * After a restore: makes again the calls that were in flight at the checkpoint, and counts the
   * addresses that had a full batch waiting. Changes the current key.
   */
  public void restore() throws Exception {
    List<Tuple2<String, String>> addresses;
    try (Stream<Tuple2<String, String>> stream = backend.getKeysAndNamespaces(PROGRESS_STATE)) {
      addresses = stream.collect(Collectors.toList());
    }
    for (Tuple2<String, String> address : addresses) {
      TypeName functionType = TypeName.parse(address.f1);
      if (!spec.isRemote(functionType)) {
        throw new IllegalStateException(
            "The checkpoint holds messages for remote function "
                + functionType
                + " (id '"
                + address.f0
                + "'), which no HTTP endpoint of the module serves any more");
      }
      RemoteFunctionType type = type(functionType);
      host.switchKey(address.f0);
      focus(type);
      long[] at = progress.value();
      if (at == null) {
        continue;
      }
      if (at[BLOCKING] == 1) {
        addressesBlocking++;
      }
      if (at[SENT] > 0) {
        callsInFlight++;
        if (type.mayCall()) {
          resend(type, address.f0, at);
        } else {
          type.deferred.add(address.f0);
        }
      }
    }
  }

  private void focus(RemoteFunctionType type) {
    queue.setCurrentNamespace(type.namespace());
    progress.setCurrentNamespace(type.namespace());
  }

  private byte[] toFunction(RemoteFunctionType type, Address self, List<Envelope> batch)
      throws Exception {
    List<RemoteProtocol.StateValue> states = new ArrayList<>(type.valueSpecs.size());
    for (ValueSpec<byte[]> valueSpec : type.valueSpecs.values()) {
      states.add(new RemoteProtocol.StateValue(valueSpec, host.readState(type.name(), valueSpec)));
    }
    return type.protocol().request(self, batch, states);
  }

  /**
   * Registers the states a function reported missing. Calls of other addresses may have taught
   * them already; only a function that reports missing exactly what it was sent is wrong.
   */
  private void register(
      RemoteFunctionType type, Address self, int statesSent, List<PersistedValueSpec> missing) {
    // states are only ever added, so a call carried the first ones known
    Set<String> sent = new HashSet<>();
    for (String name : type.valueSpecs.keySet()) {
      if (sent.size() == statesSent) {
        break;
      }
      sent.add(name);
    }
    boolean missedAny = false;
    for (PersistedValueSpec missingSpec : missing) {
      missedAny |= !sent.contains(missingSpec.getStateName());
      learn(type, self, missingSpec);
    }
    if (!missedAny) {
      // the function asks again for what it was sent: calling again would loop forever
      throw new IllegalStateException(
          "Remote function "
              + self.type()
              + " (id '"
              + self.id()
              + "') reports missing state "
              + missing.stream().map(PersistedValueSpec::getStateName).toList()
              + ", which it was sent");
    }
  }

  private void learn(RemoteFunctionType type, Address self, PersistedValueSpec reported) {
    ValueSpec<byte[]> valueSpec = valueSpec(self, reported);
    host.registerState(self.type(), valueSpec);
    type.valueSpecs.put(valueSpec.name(), valueSpec);
    type.reported.put(valueSpec.name(), reported);
  }

  /** What the functions reported about their states: (function type, PersistedValueSpec bytes). */
  public List<Tuple2<String, byte[]>> learnedSpecs() {
    List<Tuple2<String, byte[]>> learned = new ArrayList<>();
    types.forEach(
        (functionType, type) ->
            type.reported
                .values()
                .forEach(
                    reported ->
                        learned.add(Tuple2.of(functionType.canonical(), reported.toByteArray()))));
    return learned;
  }

  /** Learns again, after a restore, what {@link #learnedSpecs} returned before. */
  public void relearn(Iterable<Tuple2<String, byte[]>> learned) throws Exception {
    for (Tuple2<String, byte[]> entry : learned) {
      TypeName functionType = TypeName.parse(entry.f0);
      if (spec.isRemote(functionType)) {
        RemoteFunctionType type = type(functionType);
        learn(type, new Address(functionType, "(restored)"), PersistedValueSpec.parseFrom(entry.f1));
        type.restoredStates();
      }
    }
  }

  private static ValueSpec<byte[]> valueSpec(Address self, PersistedValueSpec reported) {
    ValueSpec<byte[]> valueSpec;
    try {
      valueSpec =
          ValueSpec.named(reported.getStateName())
              .withType(new RawType(TypeName.parse(reported.getTypeTypename())));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Remote function " + self.type() + " registers an invalid state: " + e.getMessage(), e);
    }
    ExpirationSpec expiration = reported.getExpirationSpec();
    Duration ttl = Duration.ofMillis(expiration.getExpireAfterMillis());
    switch (expiration.getMode()) {
      case NONE:
        return valueSpec;
      case AFTER_WRITE:
        return valueSpec.thatExpiresAfterWrite(ttl);
      case AFTER_INVOKE:
        return valueSpec.thatExpiresAfterInvoke(ttl);
      default:
        throw new IllegalArgumentException(
            "Remote function "
                + self.type()
                + " registers state '"
                + reported.getStateName()
                + "' with an unknown expiration mode "
                + expiration.getModeValue());
    }
  }

  private void apply(RemoteFunctionType type, Address self, FromFunction.InvocationResponse response)
      throws Exception {
    for (PersistedValueMutation mutation : response.getStateMutationsList()) {
      ValueSpec<byte[]> valueSpec = type.valueSpecs.get(mutation.getStateName());
      if (valueSpec == null) {
        throw new IllegalStateException(
            "Remote function "
                + self.type()
                + " (id '"
                + self.id()
                + "') changes state '"
                + mutation.getStateName()
                + "', which it did not register; registered: "
                + type.valueSpecs.keySet());
      }
      switch (mutation.getMutationType()) {
        case MODIFY:
          host.writeState(
              self.type(), valueSpec, mutation.getStateValue().getValue().toByteArray());
          break;
        case DELETE:
          host.writeState(self.type(), valueSpec, null);
          break;
        default:
          throw new IllegalStateException(
              "Remote function "
                  + self.type()
                  + " sent an unknown mutation of state '"
                  + mutation.getStateName()
                  + "': "
                  + mutation.getMutationTypeValue());
      }
    }
    for (FromFunction.Invocation message : response.getOutgoingMessagesList()) {
      host.send(new Envelope(target(self, message.getTarget()), self, Protos.fromProto(message.getArgument())));
    }
    for (FromFunction.DelayedInvocation delayed : response.getDelayedInvocationsList()) {
      String token = delayed.getCancellationToken();
      if (delayed.getIsCancellationRequest()) {
        host.cancelDelayed(self, token);
      } else {
        host.sendAfter(
            Duration.ofMillis(delayed.getDelayInMs()),
            new Envelope(target(self, delayed.getTarget()), self, Protos.fromProto(delayed.getArgument())),
            token.isEmpty() ? null : token);
      }
    }
    for (FromFunction.EgressMessage egress : response.getOutgoingEgressesList()) {
      host.egress(
          self,
          TypeName.of(egress.getEgressNamespace(), egress.getEgressType()),
          Protos.fromProto(egress.getArgument()));
    }
  }

  private static Address target(
      Address self, io.stateweave.sdk.reqreply.generated.Address target) {
    Address address = Protos.fromProtoOrNull(target);
    if (address == null) {
      throw new IllegalArgumentException(
          "Remote function " + self.type() + " (id '" + self.id() + "') sent a message to no one");
    }
    return address;
  }

  private void deadLetters(RemoteCall call) {
    for (Envelope envelope : call.batch()) {
      host.egress(
          call.self(),
          spec.deadLetterEgress(),
          DeadLetter.forRemoteFunction(
                  call.self(), envelope.caller(), call.failure(), envelope.payload())
              .toTypedValue());
    }
  }

  private RemoteFunctionType type(TypeName functionType) {
    RemoteFunctionType type = types.get(functionType);
    if (type == null) {
      HttpEndpointSpec endpoint =
          spec.endpointFor(functionType)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "No HTTP endpoint serves function " + functionType));
      LegacyFunctionSpec legacy = spec.legacyFunction(functionType).orElse(null);
      type =
          new RemoteFunctionType(
              functionType,
              HttpTarget.of(endpoint, functionType),
              endpoint.maxNumBatchRequests(),
              new CallMetrics(metricGroups.apply(functionType)),
              legacy == null ? StatefunV3Protocol.INSTANCE : StatefunV2Protocol.INSTANCE);
      types.put(functionType, type);
      if (legacy != null) {
        declare(type, legacy);
      }
    }
    return type;
  }

  /**
   * Binds the states a StateFun 2.x function declares in module.yaml: it cannot report them, so it
   * is called with them from the first call on.
   */
  private void declare(RemoteFunctionType type, LegacyFunctionSpec legacy) {
    for (LegacyFunctionSpec.State state : legacy.states()) {
      ValueSpec<byte[]> valueSpec =
          ValueSpec.named(state.name()).withType(new RawType(StatefunV2Protocol.STATE_TYPE));
      if (!state.expireAfter().isZero()) {
        valueSpec = valueSpec.thatExpiresAfterInvoke(state.expireAfter());
      }
      host.registerState(type.name(), valueSpec);
      type.valueSpecs.put(valueSpec.name(), valueSpec);
    }
    type.restoredStates();
  }

  @Override
  public void close() {
    if (transport != null) {
      transport.close();
    }
  }
}
