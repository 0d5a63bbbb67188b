package io.stateweave.flink.feedback;

import io.stateweave.flink.message.Envelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.util.FlinkRuntimeException;
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

  private final FeedbackKey key;
  private final FeedbackChannel channel;
  private final MailboxExecutor mailbox;
  private final Consumer<Envelope> handler;

  private FeedbackReceiver(FeedbackKey key, MailboxExecutor mailbox, Consumer<Envelope> handler) {
    this.key = key;
    this.channel = FeedbackChannelBroker.acquire(key);
    this.mailbox = Objects.requireNonNull(mailbox, "mailbox");
    this.handler = Objects.requireNonNull(handler, "handler");
  }

  /** Connects to the channel of this subtask; {@code handler} runs on the task thread. */
  public static FeedbackReceiver connect(
      RuntimeContext context, MailboxExecutor mailbox, Consumer<Envelope> handler) {
    FeedbackReceiver receiver =
        new FeedbackReceiver(FeedbackChannels.keyOf(context), mailbox, handler);
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
      LOG.debug("{}: dispatcher no longer takes feedback", key, e);
    }
  }

  private void drain() {
    channel.clearWakeUp();
    for (int i = 0; i < MAX_PER_MAIL; i++) {
      Object item = channel.poll();
      if (item == null) {
        return;
      }
      if (item instanceof Envelope) {
        handler.accept((Envelope) item);
      }
      // A marker outside a snapshot belongs to a checkpoint this subtask did not take part in.
    }
    scheduleDrain();
  }

  /**
   * Called in the dispatcher's snapshot, after its barrier went downstream: takes the messages that
   * were sent before the checkpoint but arrive after this snapshot, up to the tail's marker for
   * {@code checkpointId}. They are the loop's in-flight records and belong to the checkpoint.
   */
  public List<Envelope> takeInFlight(long checkpointId, Duration timeout)
      throws InterruptedException {
    List<Envelope> inFlight = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Object item = channel.poll(Duration.ofMillis(100));
      if (item instanceof Envelope) {
        inFlight.add((Envelope) item);
      } else if (item instanceof FeedbackChannel.CheckpointMarker) {
        long marker = ((FeedbackChannel.CheckpointMarker) item).checkpointId;
        if (marker >= checkpointId) {
          if (marker > checkpointId) {
            LOG.warn("{}: expected the marker of checkpoint {}, got {}", key, checkpointId, marker);
          }
          return inFlight;
        }
      } else if (System.nanoTime() > deadline) {
        throw new FlinkRuntimeException(
            "The feedback tail did not reach checkpoint "
                + checkpointId
                + " within "
                + timeout
                + " ("
                + key
                + "); is the feedback operator running in the same TaskManager?");
      }
    }
  }

  @Override
  public void close() {
    FeedbackChannelBroker.release(key);
  }
}
