package io.stateweave.flink.feedback;

import io.stateweave.flink.message.Envelope;
import io.stateweave.flink.message.EnvelopeSerializer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;

/**
 * The loop's in-flight messages of a checkpoint, kept in keyed state under their target's key so
 * that they are restored, also after rescaling, by the subtask that owns the target. Written in the
 * dispatcher's snapshot (which runs before the keyed state backend snapshots), cleared when the
 * messages have been processed.
 */
public final class FeedbackLog {
  static final String STATE_NAME = "stateweave-feedback-in-flight";

  private final KeyedStateBackend<String> backend;
  private final ListStateDescriptor<Envelope> descriptor =
      new ListStateDescriptor<>(STATE_NAME, EnvelopeSerializer.INSTANCE);
  private final ListState<Envelope> state;

  public FeedbackLog(KeyedStateBackend<String> backend) throws Exception {
    this.backend = backend;
    this.state =
        backend.getPartitionedState(
            VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor);
  }

  /** Logs in-flight messages; changes the backend's current key. */
  public void append(List<Envelope> inFlight) throws Exception {
    for (Envelope envelope : inFlight) {
      backend.setCurrentKey(envelope.target().id());
      state.add(envelope);
    }
  }

  /** Forgets messages that have been processed; changes the backend's current key. */
  public void clear(Collection<Envelope> processed) {
    Set<String> keys = new LinkedHashSet<>();
    for (Envelope envelope : processed) {
      keys.add(envelope.target().id());
    }
    for (String key : keys) {
      backend.setCurrentKey(key);
      state.clear();
    }
  }

  /** The messages restored from a checkpoint, to be processed again; changes the current key. */
  public List<Envelope> restored() throws Exception {
    List<String> keys;
    try (Stream<String> stream = backend.getKeys(STATE_NAME, VoidNamespace.INSTANCE)) {
      keys = stream.collect(Collectors.toList());
    }
    List<Envelope> result = new ArrayList<>();
    for (String key : keys) {
      backend.setCurrentKey(key);
      Iterable<Envelope> logged = state.get();
      if (logged != null) {
        logged.forEach(result::add);
      }
    }
    return result;
  }
}
