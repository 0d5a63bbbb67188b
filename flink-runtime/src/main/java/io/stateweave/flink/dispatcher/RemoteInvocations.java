package io.stateweave.flink.dispatcher;

import com.google.protobuf.UnsafeByteOperations;
import io.stateweave.flink.ingress.DeadLetter;
import io.stateweave.flink.message.Envelope;
import io.stateweave.flink.message.EnvelopeSerializer;
import io.stateweave.flink.message.RemoteRequest;
import io.stateweave.flink.module.HttpEndpointSpec;
import io.stateweave.flink.remote.RemoteOutcome;
import io.stateweave.flink.remote.RemoteSpec;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.ValueSpec;
import io.stateweave.sdk.reqreply.generated.FromFunction;
import io.stateweave.sdk.reqreply.generated.FromFunction.ExpirationSpec;
import io.stateweave.sdk.reqreply.generated.FromFunction.PersistedValueMutation;
import io.stateweave.sdk.reqreply.generated.FromFunction.PersistedValueSpec;
import io.stateweave.sdk.reqreply.generated.ToFunction;
import io.stateweave.sdk.reqreply.generated.ToFunction.InvocationBatchRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.BooleanSerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;

/**
 * The dispatcher's side of remote functions; every method runs with the address id as the current
 * key. At most one call per address is in flight: a message arriving meanwhile waits in a keyed
 * pending list, and when the call's outcome comes back through the loop, the next batch (at most
 * the endpoint's {@code maxNumBatchRequests}, in arrival order) goes out.
 *
 * <p>A call carries every state value the function type registered, from {@link FunctionStates}.
 * Which states those are is learned from the function (its {@code IncompleteInvocationContext}
 * answer) and goes into the dispatcher's snapshot ({@link #learnedSpecs}, {@link #relearn}), so
 * that after a restore the answers to calls made before it can be applied as they come.
 */
final class RemoteInvocations {
  private static final int HISTOGRAM_WINDOW = 1000;

  private final KeyedStateBackend<String> backend;
  private final FunctionStates states;
  private final RemoteSpec spec;
  private final InvocationContext.Effects effects;
  private final Consumer<RemoteRequest> requests;
  private final MetricGroup metrics;
  private final Map<TypeName, RemoteType> types = new HashMap<>();

  RemoteInvocations(
      KeyedStateBackend<String> backend,
      FunctionStates states,
      RemoteSpec spec,
      InvocationContext.Effects effects,
      Consumer<RemoteRequest> requests,
      MetricGroup metrics) {
    this.backend = Objects.requireNonNull(backend, "backend");
    this.states = Objects.requireNonNull(states, "states");
    this.spec = Objects.requireNonNull(spec, "spec");
    this.effects = Objects.requireNonNull(effects, "effects");
    this.requests = Objects.requireNonNull(requests, "requests");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  boolean serves(TypeName functionType) {
    return types.containsKey(functionType) || spec.isRemote(functionType);
  }

  /** A message for a remote function: called at once, or batched behind the call in flight. */
  void onMessage(Envelope envelope) throws Exception {
    RemoteType type = type(envelope.target().type());
    if (Boolean.TRUE.equals(type.inFlight.value())) {
      type.pending.add(envelope);
      return;
    }
    type.inFlight.update(true);
    call(type, envelope.target(), List.of(invocation(envelope)));
  }

  /** A call's outcome, back from the HTTP client. */
  void onOutcome(RemoteOutcome outcome) throws Exception {
    Address self = outcome.request().target();
    RemoteType type = type(self.type());
    InvocationBatchRequest sent =
        ToFunction.parseFrom(outcome.request().toFunction()).getInvocation();
    if (outcome.gaveUp()) {
      deadLetters(self, sent, outcome.failure());
    } else {
      FromFunction answer = FromFunction.parseFrom(outcome.fromFunction());
      if (answer.hasIncompleteInvocationContext()) {
        register(type, self, sent, answer.getIncompleteInvocationContext().getMissingValuesList());
        call(type, self, sent.getInvocationsList());
        return;
      }
      apply(type, self, answer.getInvocationResult());
      type.invocations.inc(sent.getInvocationsCount());
    }
    callNext(type, self);
  }

  private void callNext(RemoteType type, Address self) throws Exception {
    List<Envelope> pending = new ArrayList<>();
    Iterable<Envelope> stored = type.pending.get();
    if (stored != null) {
      stored.forEach(pending::add);
    }
    if (pending.isEmpty()) {
      type.inFlight.clear();
      return;
    }
    int size = Math.min(pending.size(), type.maxBatch);
    List<ToFunction.Invocation> batch = new ArrayList<>(size);
    for (Envelope envelope : pending.subList(0, size)) {
      batch.add(invocation(envelope));
    }
    if (size == pending.size()) {
      type.pending.clear();
    } else {
      type.pending.update(new ArrayList<>(pending.subList(size, pending.size())));
    }
    call(type, self, batch);
  }

  private void call(RemoteType type, Address self, List<ToFunction.Invocation> batch)
      throws Exception {
    InvocationBatchRequest.Builder request =
        InvocationBatchRequest.newBuilder().setTarget(address(self)).addAllInvocations(batch);
    for (ValueSpec<byte[]> valueSpec : type.valueSpecs.values()) {
      // reading refreshes the time to live of states that expire after invocations
      byte[] value = states.state(self.type(), valueSpec).value();
      io.stateweave.sdk.reqreply.generated.TypedValue.Builder typed =
          io.stateweave.sdk.reqreply.generated.TypedValue.newBuilder()
              .setTypename(valueSpec.type().typeName().canonical())
              .setHasValue(value != null);
      if (value != null) {
        typed.setValue(UnsafeByteOperations.unsafeWrap(value));
      }
      request.addState(
          ToFunction.PersistedValue.newBuilder()
              .setStateName(valueSpec.name())
              .setStateValue(typed));
    }
    type.batchSizes.update(batch.size());
    requests.accept(
        new RemoteRequest(
            self, ToFunction.newBuilder().setInvocation(request).build().toByteArray()));
  }

  /**
   * Registers the states a function reported missing. Other addresses' calls may have taught them
   * already (their calls were in flight at the same time); only a function that reports missing
   * exactly what it was sent is wrong.
   */
  private void register(
      RemoteType type,
      Address self,
      InvocationBatchRequest sent,
      List<PersistedValueSpec> missing) {
    Set<String> sentNames = new HashSet<>();
    sent.getStateList().forEach(value -> sentNames.add(value.getStateName()));
    boolean missedAny = false;
    for (PersistedValueSpec missingSpec : missing) {
      learn(type, self, missingSpec);
      missedAny |= !sentNames.contains(missingSpec.getStateName());
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

  private void learn(RemoteType type, Address self, PersistedValueSpec reported) {
    ValueSpec<byte[]> valueSpec = valueSpec(self, reported);
    // binding checks that a state name keeps its type and expiration
    states.state(self.type(), valueSpec);
    type.valueSpecs.put(valueSpec.name(), valueSpec);
    type.reported.put(valueSpec.name(), reported);
  }

  /** What the functions reported about their states: (function type, PersistedValueSpec bytes). */
  List<Tuple2<String, byte[]>> learnedSpecs() {
    List<Tuple2<String, byte[]>> learned = new ArrayList<>();
    types.forEach(
        (functionType, type) ->
            type.reported
                .values()
                .forEach(
                    spec -> learned.add(Tuple2.of(functionType.canonical(), spec.toByteArray()))));
    return learned;
  }

  /** Learns again, after a restore, what {@link #learnedSpecs} returned before. */
  void relearn(Iterable<Tuple2<String, byte[]>> learned) throws Exception {
    for (Tuple2<String, byte[]> entry : learned) {
      TypeName functionType = TypeName.parse(entry.f0);
      if (spec.isRemote(functionType)) {
        learn(
            type(functionType),
            new Address(functionType, "(restored)"),
            PersistedValueSpec.parseFrom(entry.f1));
      }
    }
  }

  private static ValueSpec<byte[]> valueSpec(Address self, PersistedValueSpec missing) {
    ValueSpec<byte[]> valueSpec;
    try {
      valueSpec =
          ValueSpec.named(missing.getStateName())
              .withType(new RawType(TypeName.parse(missing.getTypeTypename())));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Remote function " + self.type() + " registers an invalid state: " + e.getMessage(), e);
    }
    ExpirationSpec expiration = missing.getExpirationSpec();
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
                + missing.getStateName()
                + "' with an unknown expiration mode "
                + expiration.getModeValue());
    }
  }

  private void apply(RemoteType type, Address self, FromFunction.InvocationResponse response)
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
      FunctionState<byte[]> state = states.state(self.type(), valueSpec);
      switch (mutation.getMutationType()) {
        case MODIFY:
          state.update(mutation.getStateValue().getValue().toByteArray());
          break;
        case DELETE:
          state.clear();
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
      effects.send(new Envelope(address(message.getTarget()), self, value(message.getArgument())));
    }
    for (FromFunction.DelayedInvocation delayed : response.getDelayedInvocationsList()) {
      String token = delayed.getCancellationToken();
      if (delayed.getIsCancellationRequest()) {
        effects.cancelDelayed(self, token);
      } else {
        effects.sendAfter(
            Duration.ofMillis(delayed.getDelayInMs()),
            new Envelope(address(delayed.getTarget()), self, value(delayed.getArgument())),
            token.isEmpty() ? null : token);
      }
    }
    for (FromFunction.EgressMessage egress : response.getOutgoingEgressesList()) {
      effects.egress(
          self,
          TypeName.of(egress.getEgressNamespace(), egress.getEgressType()),
          value(egress.getArgument()));
    }
  }

  private void deadLetters(Address self, InvocationBatchRequest sent, String failure) {
    for (ToFunction.Invocation invocation : sent.getInvocationsList()) {
      Address caller = invocation.hasCaller() ? address(invocation.getCaller()) : null;
      effects.egress(
          self,
          spec.deadLetterEgress(),
          DeadLetter.forRemoteFunction(self, caller, failure, value(invocation.getArgument()))
              .toTypedValue());
    }
  }

  private RemoteType type(TypeName functionType) {
    RemoteType type = types.get(functionType);
    if (type == null) {
      HttpEndpointSpec endpoint =
          spec.endpointFor(functionType)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "No HTTP endpoint serves function " + functionType));
      type = new RemoteType(functionType, endpoint.maxNumBatchRequests());
      types.put(functionType, type);
    }
    return type;
  }

  private static ToFunction.Invocation invocation(Envelope envelope) {
    ToFunction.Invocation.Builder invocation =
        ToFunction.Invocation.newBuilder().setArgument(value(envelope.payload()));
    if (envelope.caller() != null) {
      invocation.setCaller(address(envelope.caller()));
    }
    return invocation.build();
  }

  private static io.stateweave.sdk.reqreply.generated.Address address(Address address) {
    return io.stateweave.sdk.reqreply.generated.Address.newBuilder()
        .setNamespace(address.type().namespace())
        .setType(address.type().name())
        .setId(address.id())
        .build();
  }

  private static Address address(io.stateweave.sdk.reqreply.generated.Address address) {
    return new Address(TypeName.of(address.getNamespace(), address.getType()), address.getId());
  }

  private static io.stateweave.sdk.reqreply.generated.TypedValue value(TypedValue value) {
    return io.stateweave.sdk.reqreply.generated.TypedValue.newBuilder()
        .setTypename(value.typeName().canonical())
        .setHasValue(true)
        .setValue(UnsafeByteOperations.unsafeWrap(value.bytes()))
        .build();
  }

  private static TypedValue value(io.stateweave.sdk.reqreply.generated.TypedValue value) {
    return TypedValue.ofBytes(TypeName.parse(value.getTypename()), value.getValue().toByteArray());
  }

  /** The keyed state, learned state specs and metrics of one remote function type. */
  private final class RemoteType {
    final int maxBatch;
    final ValueState<Boolean> inFlight;
    final ListState<Envelope> pending;

    /** The states the function registered, by name, in the order it reported them. */
    final Map<String, ValueSpec<byte[]>> valueSpecs = new LinkedHashMap<>();

    /** The same states as the function reported them, for the snapshot. */
    final Map<String, PersistedValueSpec> reported = new LinkedHashMap<>();

    final Counter invocations;
    final Histogram batchSizes;

    RemoteType(TypeName functionType, int maxBatch) {
      this.maxBatch = maxBatch;
      String name = functionType.canonical();
      try {
        this.inFlight =
            backend.getPartitionedState(
                VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<>(
                    "stateweave-remote-in-flight." + name, BooleanSerializer.INSTANCE));
        this.pending =
            backend.getPartitionedState(
                VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                new ListStateDescriptor<>(
                    "stateweave-remote-pending." + name, EnvelopeSerializer.INSTANCE));
      } catch (Exception e) {
        throw new IllegalStateException(
            "Cannot create the call state of remote function " + name, e);
      }
      MetricGroup group = metrics.addGroup("remoteFunction", name);
      this.invocations = group.counter("invocations");
      this.batchSizes =
          group.histogram("batchSize", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    }
  }
}
