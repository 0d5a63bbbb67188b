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
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;

/**
 * The keyed state of every function type: one value state per function type and state name ({@code
 * <function type>.<state name>}), holding the value as {@link StateValueSerializer} describes, with
 * the spec's expiration as Flink state TTL. States are bound when declared or on first use.
 */
final class FunctionStates {
  private final KeyedStateBackend<String> backend;
  private final Map<TypeName, Map<String, FunctionState<?>>> byFunction = new HashMap<>();
  private final Map<TypeName, List<FunctionState<?>>> refreshedOnInvoke = new HashMap<>();

  // The last state looked up: an invocation typically reads and then writes the same spec, so the
  // second lookup (two map lookups and a spec comparison) is skipped. Bound states never change.
  private TypeName lastFunction;
  private ValueSpec<?> lastSpec;
  private FunctionState<?> lastState;

  FunctionStates(KeyedStateBackend<String> backend) {
    this.backend = backend;
  }

  @SuppressWarnings("unchecked")
  <T> FunctionState<T> state(TypeName function, ValueSpec<T> spec) {
    if (spec == lastSpec && function == lastFunction) {
      return (FunctionState<T>) lastState;
    }
    FunctionState<T> state = lookUp(function, spec);
    lastFunction = function;
    lastSpec = spec;
    lastState = state;
    return state;
  }

  @SuppressWarnings("unchecked")
  private <T> FunctionState<T> lookUp(TypeName function, ValueSpec<T> spec) {
    Map<String, FunctionState<?>> states =
        byFunction.computeIfAbsent(function, f -> new HashMap<>());
    FunctionState<?> bound = states.get(spec.name());
    if (bound == null) {
      FunctionState<T> state = bind(function, spec);
      states.put(spec.name(), state);
      return state;
    }
    ValueSpec<?> boundSpec = bound.spec();
    if (boundSpec != spec) {
      boundSpec.requireSameState(function, spec);
    }
    // the same state has the same type
    return (FunctionState<T>) bound;
  }

  /** Reads every after-invoke state of the function, which refreshes its time to live. */
  void refreshOnInvoke(TypeName function) throws Exception {
    if (refreshedOnInvoke.isEmpty()) {
      // the common case, checked before hashing the function's name on every invocation
      return;
    }
    List<FunctionState<?>> states = refreshedOnInvoke.get(function);
    if (states != null) {
      for (FunctionState<?> state : states) {
        state.touch();
      }
    }
  }

  private <T> FunctionState<T> bind(TypeName function, ValueSpec<T> spec) {
    ValueStateDescriptor<Object> descriptor =
        new ValueStateDescriptor<>(
            function.canonical() + "." + spec.name(), StateValueSerializer.INSTANCE);
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
    ValueState<Object> state;
    try {
      state =
          backend.getPartitionedState(
              VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor);
    } catch (Exception e) {
      throw new IllegalStateException(
          "Cannot create state '" + spec.name() + "' of function " + function, e);
    }
    FunctionState<T> bound = new FunctionState<>(function, spec, state);
    if (expiration.mode() == Expiration.Mode.AFTER_INVOKE) {
      refreshedOnInvoke.computeIfAbsent(function, f -> new ArrayList<>()).add(bound);
    }
    return bound;
  }
}
