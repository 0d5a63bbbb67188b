package io.stateweave.flink.dispatcher;

import io.stateweave.sdk.Expiration;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.ValueSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;

/**
 * The keyed state of every function type: one value state per function type and state name ({@code
 * <function type>.<state name>}), holding the value's bytes, with the spec's expiration as Flink
 * state TTL. States are bound when declared or on first use.
 */
final class FunctionStates {
  private final KeyedStateBackend<String> backend;
  private final Map<TypeName, Map<String, BoundState>> byFunction = new HashMap<>();
  private final Map<TypeName, List<ValueState<byte[]>>> refreshedOnInvoke = new HashMap<>();

  // The last state looked up: an invocation typically reads and then writes the same spec, so the
  // second lookup (two map lookups and a spec comparison) is skipped. Bound states never change.
  private TypeName lastFunction;
  private ValueSpec<?> lastSpec;
  private ValueState<byte[]> lastState;

  FunctionStates(KeyedStateBackend<String> backend) {
    this.backend = backend;
  }

  ValueState<byte[]> state(TypeName function, ValueSpec<?> spec) {
    if (spec == lastSpec && function == lastFunction) {
      return lastState;
    }
    ValueState<byte[]> state = lookUp(function, spec);
    lastFunction = function;
    lastSpec = spec;
    lastState = state;
    return state;
  }

  private ValueState<byte[]> lookUp(TypeName function, ValueSpec<?> spec) {
    Map<String, BoundState> states = byFunction.computeIfAbsent(function, f -> new HashMap<>());
    BoundState bound = states.get(spec.name());
    if (bound == null) {
      bound = bind(function, spec);
      states.put(spec.name(), bound);
    } else if (bound.spec != spec && !bound.spec.equals(spec)) {
      throw new IllegalArgumentException(
          "Function "
              + function
              + " uses state '"
              + spec.name()
              + "' as "
              + spec.type().typeName()
              + " expiring "
              + spec.expiration()
              + ", but it is bound as "
              + bound.spec.type().typeName()
              + " expiring "
              + bound.spec.expiration());
    }
    return bound.state;
  }

  /** Reads every after-invoke state of the function, which refreshes its time to live. */
  void refreshOnInvoke(TypeName function) throws Exception {
    if (refreshedOnInvoke.isEmpty()) {
      // the common case, checked before hashing the function's name on every invocation
      return;
    }
    List<ValueState<byte[]>> states = refreshedOnInvoke.get(function);
    if (states != null) {
      for (ValueState<byte[]> state : states) {
        state.value();
      }
    }
  }

  private BoundState bind(TypeName function, ValueSpec<?> spec) {
    ValueStateDescriptor<byte[]> descriptor =
        new ValueStateDescriptor<>(
            function.canonical() + "." + spec.name(), BytePrimitiveArraySerializer.INSTANCE);
    Expiration expiration = spec.expiration();
    if (expiration.mode() != Expiration.Mode.NONE) {
      descriptor.enableTimeToLive(
          StateTtlConfig.newBuilder(expiration.duration())
              .setUpdateType(
                  expiration.mode() == Expiration.Mode.AFTER_WRITE
                      ? StateTtlConfig.UpdateType.OnCreateAndWrite
                      : StateTtlConfig.UpdateType.OnReadAndWrite)
              .neverReturnExpired()
              .build());
    }
    ValueState<byte[]> state;
    try {
      state =
          backend.getPartitionedState(
              VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor);
    } catch (Exception e) {
      throw new IllegalStateException(
          "Cannot create state '" + spec.name() + "' of function " + function, e);
    }
    if (expiration.mode() == Expiration.Mode.AFTER_INVOKE) {
      refreshedOnInvoke.computeIfAbsent(function, f -> new ArrayList<>()).add(state);
    }
    return new BoundState(spec, state);
  }

  private static final class BoundState {
    final ValueSpec<?> spec;
    final ValueState<byte[]> state;

    BoundState(ValueSpec<?> spec, ValueState<byte[]> state) {
      this.spec = spec;
      this.state = state;
    }
  }
}
