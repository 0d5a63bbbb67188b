package io.stateweave.flink.delay;

import io.stateweave.flink.message.DelayedMessage;
import io.stateweave.flink.message.Envelope;
import io.stateweave.sdk.Address;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Delayed messages due within the horizon, on the heap of the subtask, in the order they fall due.
 * Messages of one sender due in the same millisecond keep their order: those that came out of keyed
 * state first (they were sent longer ago, with a delay beyond the horizon), then the others in the
 * order they were added.
 */
final class DueSoonQueue {
  private static final Comparator<Entry> DUE_ORDER =
      Comparator.<Entry>comparingLong(entry -> entry.dueTime)
          .thenComparing(entry -> !entry.fromKeyedState)
          .thenComparingLong(entry -> entry.sequence);

  private final PriorityQueue<Entry> queue = new PriorityQueue<>(DUE_ORDER);
  private final Map<TokenKey, Entry> byToken = new HashMap<>();
  private long nextSequence;

  void add(long dueTime, DelayedMessage message, boolean fromKeyedState) {
    Entry entry = new Entry(dueTime, message, fromKeyedState, nextSequence++);
    queue.add(entry);
    if (message.cancellationToken() != null) {
      byToken.put(tokenKey(message), entry);
    }
  }

  boolean hasToken(Address sender, String cancellationToken) {
    return byToken.containsKey(new TokenKey(sender, cancellationToken));
  }

  /** Drops the sender's message with this token; false if no message here has it. */
  boolean cancel(Address sender, String cancellationToken) {
    Entry entry = byToken.remove(new TokenKey(sender, cancellationToken));
    if (entry == null) {
      return false;
    }
    // left in the queue until it falls due: removing it from the middle of the heap costs more
    entry.cancelled = true;
    return true;
  }

  /** The due time of the earliest message, or {@link Long#MAX_VALUE} when there is none. */
  long nextDueTime() {
    Entry head;
    while ((head = queue.peek()) != null && head.cancelled) {
      queue.poll();
    }
    return head == null ? Long.MAX_VALUE : head.dueTime;
  }

  /** Takes the messages due at or before {@code now}, in due order. */
  List<Envelope> takeDue(long now) {
    List<Envelope> due = new ArrayList<>();
    Entry head;
    while ((head = queue.peek()) != null && head.dueTime <= now) {
      queue.poll();
      if (!head.cancelled) {
        forgetToken(head);
        due.add(head.message.envelope());
      }
    }
    return due;
  }

  /** Takes every message, in due order, with its due time. */
  List<Entry> takeAll() {
    List<Entry> all = new ArrayList<>(queue.size());
    Entry head;
    while ((head = queue.poll()) != null) {
      if (!head.cancelled) {
        all.add(head);
      }
    }
    byToken.clear();
    return all;
  }

  private void forgetToken(Entry entry) {
    if (entry.message.cancellationToken() != null) {
      byToken.remove(tokenKey(entry.message));
    }
  }

  private static TokenKey tokenKey(DelayedMessage message) {
    return new TokenKey(message.envelope().caller(), message.cancellationToken());
  }

  /** A token is unique per sending address. */
  private record TokenKey(Address sender, String token) {}

  static final class Entry {
    final long dueTime;
    final DelayedMessage message;
    final boolean fromKeyedState;
    final long sequence;
    boolean cancelled;

    private Entry(long dueTime, DelayedMessage message, boolean fromKeyedState, long sequence) {
      this.dueTime = dueTime;
      this.message = message;
      this.fromKeyedState = fromKeyedState;
      this.sequence = sequence;
    }
  }
}
