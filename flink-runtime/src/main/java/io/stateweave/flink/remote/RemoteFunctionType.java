package io.stateweave.flink.remote;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.ValueSpec;
import io.stateweave.sdk.reqreply.generated.FromFunction.PersistedValueSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a dispatcher knows of one remote function type: where it is called, its batch limit, the
 * states it registered, and whether those are known yet.
 *
 * <p>A function reports the states it needs by answering a call that lacks them with an {@code
 * IncompleteInvocationContext}. Until the type's first answer, one call is in flight and the
 * others wait ({@link #deferred}): otherwise every address's first call would come back asking,
 * hundreds per subtask when a job starts.
 */
final class RemoteFunctionType {
  private final TypeName name;
  private final String namespace;
  private final HttpTarget target;
  private final int maxBatch;
  private final CallMetrics metrics;
  private final RemoteProtocol protocol;

  /** The states the function registered, by name, in the order it reported them. */
  final Map<String, ValueSpec<byte[]>> valueSpecs = new LinkedHashMap<>();

  /** The same states as the function reported them, for the dispatcher's snapshot. */
  final Map<String, PersistedValueSpec> reported = new LinkedHashMap<>();

  /** Address ids whose call waits for the type's first answer. */
  final List<String> deferred = new ArrayList<>();

  private boolean answered;
  private boolean asking;

  RemoteFunctionType(
      TypeName name,
      HttpTarget target,
      int maxBatch,
      CallMetrics metrics,
      RemoteProtocol protocol) {
    this.name = name;
    this.namespace = name.canonical();
    this.target = target;
    this.maxBatch = maxBatch;
    this.metrics = metrics;
    this.protocol = protocol;
  }

  TypeName name() {
    return name;
  }

  /** The namespace of the type's queue in keyed state. */
  String namespace() {
    return namespace;
  }

  HttpTarget target() {
    return target;
  }

  int maxBatch() {
    return maxBatch;
  }

  CallMetrics metrics() {
    return metrics;
  }

  RemoteProtocol protocol() {
    return protocol;
  }

  /**
   * Whether a call may go out now: always once the function answered (or its states were restored),
   * else only the first, which then learns what the others need.
   */
  boolean mayCall() {
    if (answered) {
      return true;
    }
    if (asking) {
      return false;
    }
    asking = true;
    return true;
  }

  /** The function answered a call (or failed to): the deferred calls go out now. */
  List<String> answered() {
    if (answered) {
      return List.of();
    }
    answered = true;
    asking = false;
    List<String> waiting = List.copyOf(deferred);
    deferred.clear();
    return waiting;
  }

  /** States restored from a snapshot, or declared in the module, count as an answer. */
  void restoredStates() {
    answered = true;
  }
}
