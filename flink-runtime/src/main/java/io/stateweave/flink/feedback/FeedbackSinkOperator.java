package io.stateweave.flink.feedback;

import io.stateweave.flink.message.Envelope;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The tail of the feedback loop: receives, keyed by target, the messages the dispatchers sent to
 * other subtasks and hands them to the dispatcher of its own subtask index over the in-memory
 * channel. When a checkpoint's barrier has passed, it puts a marker in the channel: every message
 * before the marker was sent before the senders' snapshots, so the dispatcher logs those that reach
 * it after its own snapshot (see {@link FeedbackLog}).
 */
public final class FeedbackSinkOperator extends AbstractStreamOperator<Void>
    implements OneInputStreamOperator<Envelope, Void> {
  private static final long serialVersionUID = 1L;

  private transient FeedbackKey key;
  private transient FeedbackChannel channel;

  @Override
  public void open() throws Exception {
    super.open();
    key = FeedbackChannels.keyOf(getRuntimeContext());
    channel = FeedbackChannelBroker.acquire(key);
  }

  @Override
  public void processElement(StreamRecord<Envelope> element) {
    channel.put(element.getValue());
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    channel.putMarker(context.getCheckpointId());
  }

  @Override
  public void close() throws Exception {
    if (key != null) {
      FeedbackChannelBroker.release(key);
    }
    super.close();
  }
}
