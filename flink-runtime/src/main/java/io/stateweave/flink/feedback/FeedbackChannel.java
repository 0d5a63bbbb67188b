package io.stateweave.flink.feedback;

import io.stateweave.flink.message.Envelope;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The in-memory back edge from the feedback tail to the dispatcher of the same subtask: a linked
 * queue with one producer (the tail's task thread) and one consumer (the dispatcher's).
 *
 * <p>It is also the loop's checkpoint log. When a checkpoint's barrier leaves the dispatcher, the
 * dispatcher {@linkplain #cut cuts} the channel where it stands; when the barrier has reached the
 * tail, the tail takes the messages {@linkplain #takeInFlight after that cut}: sent before the
 * checkpoint, not processed before the dispatcher's snapshot, so they belong to the checkpoint. A
 * cut holds on to the messages after it, processed or not; once processed, nothing else does, so
 * forgetting a cut (the tail took it, a later one superseded it, the checkpoint was aborted) frees
 * them. Neither side ever waits for the other.
 */
final class FeedbackChannel implements AutoCloseable {
  private static final VarHandle PUTS;
  private static final VarHandle TAKES;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      PUTS = lookup.findVarHandle(FeedbackChannel.class, "puts", long.class);
      TAKES = lookup.findVarHandle(FeedbackChannel.class, "takes", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final AtomicBoolean wakeUpPending = new AtomicBoolean();
  private volatile Runnable wakeUp;

  /** Only the producer touches this: the node it appended last. */
  private Node last;

  /** Only the consumer touches this: the node it took last, whose successor comes next. */
  private Node taken;

  // Messages put and taken so far, each written by its side only, for the backlog gauge: opaque
  // writes, which cost a plain store, so that a reporter's thread reads whole values.
  private long puts;
  private long takes;

  /** Checkpoint id → the node the consumer had taken last when that checkpoint's barrier left. */
  private final TreeMap<Long, Node> cuts = new TreeMap<>();

  FeedbackChannel() {
    Node start = new Node(null);
    last = start;
    taken = start;
  }

  // ---- the producer: the feedback tail ----

  void put(Envelope envelope) {
    Node node = new Node(Objects.requireNonNull(envelope, "envelope"));
    last.next = node;
    last = node;
    PUTS.setOpaque(this, puts + 1);
    Runnable hook = wakeUp;
    if (hook != null && wakeUpPending.compareAndSet(false, true)) {
      hook.run();
    }
  }

  /**
   * The messages after the cut of {@code checkpointId}, in the order they were put; forgets that
   * cut and every earlier one, whose checkpoints a later barrier has superseded. Empty when the cut
   * is gone: its checkpoint was aborted, or the consumer never took part in it.
   */
  List<Envelope> takeInFlight(long checkpointId) {
    Node cut;
    synchronized (cuts) {
      cut = cuts.remove(checkpointId);
      cuts.headMap(checkpointId).clear();
    }
    List<Envelope> inFlight = new ArrayList<>();
    if (cut != null) {
      for (Node node = cut.next; node != null; node = node.next) {
        inFlight.add(node.envelope);
      }
    }
    return inFlight;
  }

  // ---- the consumer: the dispatcher ----

  /** The consumer's hook, called (once until {@link #clearWakeUp}) when messages arrive. */
  void registerConsumer(Runnable wakeUp) {
    this.wakeUp = Objects.requireNonNull(wakeUp, "wakeUp");
    if (taken.next != null && wakeUpPending.compareAndSet(false, true)) {
      wakeUp.run();
    }
  }

  /** Called by the consumer when it starts draining, so that later messages wake it up again. */
  void clearWakeUp() {
    wakeUpPending.set(false);
  }

  /** The next message, or null. */
  Envelope poll() {
    Node next = taken.next;
    if (next == null) {
      return null;
    }
    taken = next;
    TAKES.setOpaque(this, takes + 1);
    return next.envelope;
  }

  /** Marks where the consumer stands as the start of {@code checkpointId}'s in-flight messages. */
  void cut(long checkpointId) {
    synchronized (cuts) {
      cuts.put(checkpointId, taken);
    }
  }

  // ---- either side, or a metric reporter ----

  /** How many messages were put and not yet taken; from a third thread, a moment old. */
  long backlog() {
    long taken = (long) TAKES.getOpaque(this);
    return Math.max(0, (long) PUTS.getOpaque(this) - taken);
  }

  /** Forgets the cut of an aborted checkpoint, and with it the messages only it held on to. */
  void forget(long checkpointId) {
    synchronized (cuts) {
      cuts.remove(checkpointId);
    }
  }

  /** The checkpoints whose cut still holds messages; for tests. */
  int pendingCuts() {
    synchronized (cuts) {
      return cuts.size();
    }
  }

  /** Called when both sides have released the channel. */
  @Override
  public void close() {
    synchronized (cuts) {
      cuts.clear();
    }
  }

  private static final class Node {
    final Envelope envelope;

    /** Written once by the producer, read by the consumer and by the producer's snapshot. */
    volatile Node next;

    Node(Envelope envelope) {
      this.envelope = envelope;
    }
  }
}
