package io.stateweave.flink.delay;

import io.stateweave.flink.message.DelayedMessage;
import io.stateweave.flink.message.Envelope;
import io.stateweave.sdk.Address;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.util.Preconditions;

/**
 * The dispatcher's delayed messages. A message due within the horizon waits on the heap of the
 * subtask ({@link DueSoonQueue}) and costs no state access; a message due later waits in keyed
 * state with a processing-time timer ({@link DelayedMessageBuffer}) that moves it onto the heap a
 * horizon before it is due. A checkpoint hands the heap's messages back to keyed state, each with a
 * timer already past, so the checkpoint holds every pending message; right after it the timers fire
 * and move them back.
 *
 * <p>Why not a timer and a state entry per message, as StateFun did: on RocksDB that was a merge, a
 * timer write, a read that searched every file for the list's base value and two deletes per
 * message, 95 k messages per second on two cores; most delays are short, and most short-delayed
 * messages fall due before the next checkpoint, so they never needed to be in state at all.
 */
public final class DelayedMessages {
  /** The default of {@code stateweave.delayed-messages.memory-horizon}. */
  public static final Duration DEFAULT_MEMORY_HORIZON = Duration.ofSeconds(1);

  private final KeyedStateBackend<String> backend;
  private final ProcessingTimeService time;
  private final long horizon;
  private final Consumer<List<Envelope>> deliver;
  private final DelayedMessageBuffer inState;
  private final DueSoonQueue dueSoon = new DueSoonQueue();

  /** When the next wake-up is registered for; {@link Long#MAX_VALUE} for none. */
  private long wakeUpAt = Long.MAX_VALUE;

  /**
   * @param timers the keyed timers that move messages from keyed state onto the heap; their owner
   *     calls {@link #onTimer}
   * @param deliver receives the messages that fell due, in due order
   */
  public DelayedMessages(
      KeyedStateBackend<String> backend,
      InternalTimerService<Long> timers,
      ProcessingTimeService time,
      Duration horizon,
      Consumer<List<Envelope>> deliver)
      throws Exception {
    this.backend = Objects.requireNonNull(backend, "backend");
    this.time = Objects.requireNonNull(time, "time");
    Preconditions.checkArgument(!horizon.isNegative(), "negative horizon %s", horizon);
    this.horizon = horizon.toMillis();
    this.deliver = Objects.requireNonNull(deliver, "deliver");
    this.inState = new DelayedMessageBuffer(backend, timers, this.horizon);
  }

  /** Holds a message the current key's address {@code sender} sent with a delay. */
  public void add(Address sender, Duration delay, Envelope envelope, String cancellationToken)
      throws Exception {
    if (cancellationToken != null
        && (dueSoon.hasToken(sender, cancellationToken)
            || inState.hasToken(sender, cancellationToken))) {
      throw new IllegalArgumentException(
          "Function "
              + sender.type()
              + " (id '"
              + sender.id()
              + "') already has a pending delayed message with cancellation token '"
              + cancellationToken
              + "'");
    }
    long delayMillis = delay.toMillis();
    long dueTime = time.getCurrentProcessingTime() + delayMillis;
    DelayedMessage message = new DelayedMessage(envelope, cancellationToken);
    if (delayMillis <= horizon) {
      dueSoon.add(dueTime, message, false);
      wakeUpBy(dueTime);
    } else {
      inState.add(dueTime, message);
    }
  }

  /**
   * Drops the message the current key's address sent with this token, if it is still pending;
   * returns whether there was one.
   */
  public boolean cancel(Address sender, String cancellationToken) throws Exception {
    return dueSoon.cancel(sender, cancellationToken) || inState.cancel(sender, cancellationToken);
  }

  /**
   * Calls {@code action} with the sender of each message in keyed state, e.g. to count what a
   * restore brought back: right after a restore every pending message is there. Reads them all
   * once; changes the current key.
   */
  public void forEachSenderInState(Consumer<Address> action) throws Exception {
    inState.forEachSender(backend, action);
  }

  /** A keyed timer fired: the current key's messages due at its namespace move onto the heap. */
  public void onTimer(InternalTimer<String, Long> timer) throws Exception {
    long dueTime = timer.getNamespace();
    for (DelayedMessage message : inState.takeDue(dueTime)) {
      dueSoon.add(dueTime, message, true);
    }
    deliverDue();
  }

  /**
   * Hands the heap's messages to keyed state for a checkpoint; call before the keyed state (and its
   * timers) is snapshot. Changes the backend's current key.
   */
  public void prepareSnapshot() throws Exception {
    for (DueSoonQueue.Entry entry : dueSoon.takeAll()) {
      backend.setCurrentKey(entry.message.envelope().caller().id());
      inState.add(entry.dueTime, entry.message);
    }
  }

  private void wakeUpBy(long dueTime) {
    if (dueTime < wakeUpAt) {
      wakeUpAt = dueTime;
      time.registerTimer(dueTime, this::onWakeUp);
    }
  }

  private void onWakeUp(long timestamp) {
    if (timestamp >= wakeUpAt) {
      wakeUpAt = Long.MAX_VALUE;
    }
    deliverDue();
  }

  private void deliverDue() {
    List<Envelope> due = dueSoon.takeDue(time.getCurrentProcessingTime());
    long next = dueSoon.nextDueTime();
    if (next != Long.MAX_VALUE) {
      wakeUpBy(next);
    }
    if (!due.isEmpty()) {
      deliver.accept(due);
    }
  }
}
