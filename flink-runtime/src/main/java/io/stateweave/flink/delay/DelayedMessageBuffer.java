package io.stateweave.flink.delay;

import io.stateweave.flink.message.DelayedMessage;
import io.stateweave.flink.message.DelayedMessageSerializer;
import io.stateweave.flink.message.Envelope;
import io.stateweave.sdk.Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.internal.InternalListState;
import org.apache.flink.streaming.api.operators.InternalTimerService;

/**
 * Delayed messages of the current key (the sender's address id): buffered in keyed list state with
 * the due time as namespace, with one processing-time timer per due time (as Flink's window
 * operator keeps window contents). Adding a message appends without reading what is due already (a
 * merge in RocksDB); a second timer for the same key and time is no new timer. A token index
 * (sender type + token → due time) lets the sender cancel a message; the timer goes too when
 * nothing else is due then.
 */
public final class DelayedMessageBuffer {
  private final InternalListState<String, Long, DelayedMessage> byDueTime;
  private final MapState<String, Long> dueTimeByToken;
  private final InternalTimerService<VoidNamespace> timers;

  @SuppressWarnings("unchecked")
  public DelayedMessageBuffer(
      KeyedStateBackend<String> backend, InternalTimerService<VoidNamespace> timers)
      throws Exception {
    this.timers = Objects.requireNonNull(timers, "timers");
    this.byDueTime =
        (InternalListState<String, Long, DelayedMessage>)
            backend.getOrCreateKeyedState(
                LongSerializer.INSTANCE,
                new ListStateDescriptor<>(
                    "stateweave-delayed-messages", DelayedMessageSerializer.INSTANCE));
    this.dueTimeByToken =
        backend.getPartitionedState(
            VoidNamespace.INSTANCE,
            VoidNamespaceSerializer.INSTANCE,
            new MapStateDescriptor<>(
                "stateweave-delayed-message-tokens",
                StringSerializer.INSTANCE,
                LongSerializer.INSTANCE));
  }

  /** Buffers a message sent by the current key's address {@code sender}. */
  public void add(Address sender, long dueTime, Envelope envelope, String cancellationToken)
      throws Exception {
    if (cancellationToken != null) {
      String tokenKey = tokenKey(sender, cancellationToken);
      if (dueTimeByToken.contains(tokenKey)) {
        throw new IllegalArgumentException(
            "Function "
                + sender.type()
                + " (id '"
                + sender.id()
                + "') already has a pending delayed message with cancellation token '"
                + cancellationToken
                + "'");
      }
      dueTimeByToken.put(tokenKey, dueTime);
    }
    byDueTime.setCurrentNamespace(dueTime);
    byDueTime.add(new DelayedMessage(envelope, cancellationToken));
    timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, dueTime);
  }

  /** Removes the message the sender sent with this token; nothing if it is gone already. */
  public void cancel(Address sender, String cancellationToken) throws Exception {
    String tokenKey = tokenKey(sender, cancellationToken);
    Long dueTime = dueTimeByToken.get(tokenKey);
    if (dueTime == null) {
      return;
    }
    dueTimeByToken.remove(tokenKey);
    byDueTime.setCurrentNamespace(dueTime);
    Iterable<DelayedMessage> due = byDueTime.get();
    if (due == null) {
      return;
    }
    List<DelayedMessage> remaining = new ArrayList<>();
    boolean removed = false;
    for (DelayedMessage message : due) {
      if (!removed
          && cancellationToken.equals(message.cancellationToken())
          && sender.equals(message.envelope().caller())) {
        removed = true;
      } else {
        remaining.add(message);
      }
    }
    if (remaining.isEmpty()) {
      byDueTime.clear();
      timers.deleteProcessingTimeTimer(VoidNamespace.INSTANCE, dueTime);
    } else if (removed) {
      byDueTime.update(remaining);
    }
  }

  /** Takes the messages due at {@code dueTime}, in the order they were sent. */
  public List<Envelope> takeDue(long dueTime) throws Exception {
    byDueTime.setCurrentNamespace(dueTime);
    Iterable<DelayedMessage> due = byDueTime.get();
    if (due == null) {
      return List.of();
    }
    List<Envelope> result = new ArrayList<>();
    for (DelayedMessage message : due) {
      if (message.cancellationToken() != null) {
        dueTimeByToken.remove(tokenKey(message.envelope().caller(), message.cancellationToken()));
      }
      result.add(message.envelope());
    }
    byDueTime.clear();
    return result;
  }

  private static String tokenKey(Address sender, String token) {
    return sender.type().canonical() + '\n' + token;
  }
}
