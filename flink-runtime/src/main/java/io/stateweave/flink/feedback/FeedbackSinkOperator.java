package io.stateweave.flink.feedback;

import io.stateweave.flink.message.Envelope;
import org.apache.flink.runtime.memory.OpaqueMemoryResource;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The tail of the feedback loop: receives, keyed by target, the messages the dispatchers sent to
 * other subtasks and hands them to the dispatcher of its own subtask index over the in-memory
 * channel.
 *
 * <p>Its snapshot logs the loop's in-flight messages: with aligned barriers, it runs after every
 * dispatcher's barrier, its own dispatcher's included, so every message it has put into the channel
 * was sent before the checkpoint, and those its dispatcher had not taken when its barrier left are
 * the ones the checkpoint must hold (see {@link FeedbackChannel}). A stream operator rather than a
 * sink because it needs the checkpoint's id and keyed state written in the snapshot.
 */
public final class FeedbackSinkOperator extends AbstractStreamOperator<Void>
    implements OneInputStreamOperator<Envelope, Void> {
  private static final long serialVersionUID = 1L;

  private transient OpaqueMemoryResource<FeedbackChannel> lease;
  private transient FeedbackChannel channel;
  private transient FeedbackLog log;

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    lease = FeedbackChannels.acquire(getContainingTask().getEnvironment());
    channel = lease.getResourceHandle();
    KeyedStateBackend<String> backend = getKeyedStateBackend();
    log = new FeedbackLog(backend);
    // in flight when the checkpoint was taken: they go before anything the tail receives now
    for (Envelope envelope : log.takeRestored()) {
      channel.put(envelope);
    }
  }

  @Override
  public void processElement(StreamRecord<Envelope> element) {
    channel.put(element.getValue());
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    log.replace(channel.takeInFlight(context.getCheckpointId()));
  }

  @Override
  public void notifyCheckpointAborted(long checkpointId) throws Exception {
    super.notifyCheckpointAborted(checkpointId);
    channel.forget(checkpointId);
  }

  @Override
  public void close() throws Exception {
    if (lease != null) {
      lease.close();
    }
    super.close();
  }
}
