package io.stateweave.flink.feedback;

import io.stateweave.flink.message.Envelope;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.runtime.execution.Environment;
import org.apache.flink.runtime.memory.OpaqueMemoryResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher's end of the feedback loop. Messages arriving from the tail are handed to the
 * dispatcher through its mailbox, so they are processed on the task thread, between input records
 * and before them (mails go first).
 */
public final class FeedbackReceiver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FeedbackReceiver.class);

  /** Bounds one mail's work so that checkpoints and timers are not starved by a busy loop. */
  private static final int MAX_PER_MAIL = 10_000;

  private final String name;
  private final OpaqueMemoryResource<FeedbackChannel> lease;
  private final FeedbackChannel channel;
  private final MailboxExecutor mailbox;
  private final Consumer<Envelope> handler;

  private FeedbackReceiver(Environment task, MailboxExecutor mailbox, Consumer<Envelope> handler)
      throws Exception {
    this.mailbox = Objects.requireNonNull(mailbox, "mailbox");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.name = FeedbackChannels.name(task);
    this.lease = FeedbackChannels.acquire(task);
    this.channel = lease.getResourceHandle();
  }

  /** Connects to the channel of this subtask; {@code handler} runs on the task thread. */
  public static FeedbackReceiver connect(
      Environment task, MailboxExecutor mailbox, Consumer<Envelope> handler) throws Exception {
    FeedbackReceiver receiver = new FeedbackReceiver(task, mailbox, handler);
    receiver.channel.registerConsumer(receiver::scheduleDrain);
    return receiver;
  }

  private void scheduleDrain() {
    try {
      mailbox.execute(this::drain, "stateweave feedback");
    } catch (RejectedExecutionException e) {
      // The dispatcher stopped taking mail: it is finishing after a stop-with-savepoint or going
      // down with a failure. What arrives now came after its last snapshot and is sent again by
      // the senders when the job resumes from that snapshot.
      LOG.debug("{}: dispatcher no longer takes feedback", name, e);
    }
  }

  private void drain() {
    channel.clearWakeUp();
    for (int i = 0; i < MAX_PER_MAIL; i++) {
      Envelope envelope = channel.poll();
      if (envelope == null) {
        return;
      }
      handler.accept(envelope);
    }
    scheduleDrain();
  }

  /**
   * Call before the dispatcher's barrier of {@code checkpointId} leaves (Flink sends it before the
   * snapshot): what the dispatcher takes from now on, the tail logs into that checkpoint.
   */
  public void cut(long checkpointId) {
    channel.cut(checkpointId);
  }

  /** Messages the tail put into the channel that the dispatcher has not taken yet; any thread. */
  public long backlog() {
    return channel.backlog();
  }

  /** The checkpoint was aborted: its cut holds on to nothing any more. */
  public void forget(long checkpointId) {
    channel.forget(checkpointId);
  }

  @Override
  public void close() throws Exception {
    lease.close();
  }
}
