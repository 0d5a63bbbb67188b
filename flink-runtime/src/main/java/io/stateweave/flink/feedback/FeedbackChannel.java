package io.stateweave.flink.feedback;

import io.stateweave.flink.message.Envelope;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The in-memory back edge between the feedback tail and the dispatcher of the same subtask index,
 * in the same JVM. The tail puts envelopes and, at each checkpoint, a marker; the dispatcher takes
 * them on its own task thread. Single producer, single consumer.
 */
final class FeedbackChannel {
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final AtomicBoolean wakeUpPending = new AtomicBoolean();
  private volatile Runnable wakeUp;

  /** The consumer's hook, called (at most once until it drains) when items arrive. */
  void registerConsumer(Runnable wakeUp) {
    this.wakeUp = wakeUp;
    if (!queue.isEmpty()) {
      signal();
    }
  }

  void put(Envelope envelope) {
    queue.add(envelope);
    signal();
  }

  void putMarker(long checkpointId) {
    queue.add(new CheckpointMarker(checkpointId));
    signal();
  }

  private void signal() {
    Runnable hook = wakeUp;
    if (hook != null && wakeUpPending.compareAndSet(false, true)) {
      hook.run();
    }
  }

  /** Called by the consumer when it starts draining, so that later items wake it up again. */
  void clearWakeUp() {
    wakeUpPending.set(false);
  }

  /** The next item without waiting, or null. */
  Object poll() {
    return queue.poll();
  }

  /** The next item, waiting at most {@code timeout}; null when none arrived. */
  Object poll(Duration timeout) throws InterruptedException {
    return queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Put by the tail when a checkpoint's barrier passed it: everything before is pre-checkpoint. */
  static final class CheckpointMarker {
    final long checkpointId;

    CheckpointMarker(long checkpointId) {
      this.checkpointId = checkpointId;
    }
  }
}
