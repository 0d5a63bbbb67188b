package io.stateweave.flink.feedback;

import io.stateweave.flink.message.Envelope;
import io.stateweave.flink.message.EnvelopeSerializer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;

/**
 * The loop's in-flight messages of the latest checkpoint, in the tail's keyed state under their
 * target's key: restored, also after rescaling, by the tail of the subtask that owns the target,
 * which is the one whose dispatcher processes them.
 */
final class FeedbackLog {
  static final String STATE_NAME = "stateweave-feedback-in-flight";

  private final KeyedStateBackend<String> backend;
  private final ListState<Envelope> state;

  /** The keys logged by the last snapshot, cleared by the next one. */
  private final Set<String> loggedKeys = new HashSet<>();

  FeedbackLog(KeyedStateBackend<String> backend) throws Exception {
    this.backend = Objects.requireNonNull(backend, "backend");
    this.state =
        backend.getPartitionedState(
            VoidNamespace.INSTANCE,
            VoidNamespaceSerializer.INSTANCE,
            new ListStateDescriptor<>(STATE_NAME, new EnvelopeSerializer()));
  }

  /**
   * Makes {@code inFlight} the log, dropping what the last snapshot logged, which the dispatcher
   * has processed since (or the checkpoint was aborted). Changes the backend's current key.
   */
  void replace(List<Envelope> inFlight) throws Exception {
    for (String key : loggedKeys) {
      backend.setCurrentKey(key);
      state.clear();
    }
    loggedKeys.clear();
    for (Envelope envelope : inFlight) {
      backend.setCurrentKey(envelope.targetId());
      state.add(envelope);
      loggedKeys.add(envelope.targetId());
    }
  }

  /** Takes the messages restored from a checkpoint out of the log. Changes the current key. */
  List<Envelope> takeRestored() throws Exception {
    List<String> keys;
    try (Stream<String> stream = backend.getKeys(STATE_NAME, VoidNamespace.INSTANCE)) {
      keys = stream.collect(Collectors.toList());
    }
    List<Envelope> restored = new ArrayList<>();
    for (String key : keys) {
      backend.setCurrentKey(key);
      Iterable<Envelope> logged = state.get();
      if (logged != null) {
        logged.forEach(restored::add);
      }
      state.clear();
    }
    return restored;
  }
}
