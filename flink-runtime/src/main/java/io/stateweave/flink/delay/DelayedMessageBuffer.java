package io.stateweave.flink.delay;

import io.stateweave.flink.message.DelayedMessage;
import io.stateweave.flink.message.DelayedMessageSerializer;
import io.stateweave.flink.message.Envelope;
import io.stateweave.sdk.Address;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeutils.base.ListSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.InternalTimerService;

/**
 * Delayed messages of the current key (the sender's address id): buffered in keyed state by due
 * time, with one processing-time timer per due time. A token index (sender type + token → due time)
 * lets the sender cancel a message; the timer goes too when nothing else is due then.
 */
public final class DelayedMessageBuffer {
  private final MapState<Long, List<DelayedMessage>> byDueTime;
  private final MapState<String, Long> dueTimeByToken;
  private final InternalTimerService<VoidNamespace> timers;

  public DelayedMessageBuffer(
      KeyedStateBackend<String> backend, InternalTimerService<VoidNamespace> timers)
      throws Exception {
    this.timers = Objects.requireNonNull(timers, "timers");
    this.byDueTime =
        backend.getPartitionedState(
            VoidNamespace.INSTANCE,
            VoidNamespaceSerializer.INSTANCE,
            new MapStateDescriptor<>(
                "stateweave-delayed-messages",
                LongSerializer.INSTANCE,
                new ListSerializer<>(DelayedMessageSerializer.INSTANCE)));
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
    List<DelayedMessage> due = byDueTime.get(dueTime);
    if (due == null) {
      due = new ArrayList<>(1);
      timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, dueTime);
    }
    due.add(new DelayedMessage(envelope, cancellationToken));
    byDueTime.put(dueTime, due);
  }

  /** Removes the message the sender sent with this token; nothing if it is gone already. */
  public void cancel(Address sender, String cancellationToken) throws Exception {
    String tokenKey = tokenKey(sender, cancellationToken);
    Long dueTime = dueTimeByToken.get(tokenKey);
    if (dueTime == null) {
      return;
    }
    dueTimeByToken.remove(tokenKey);
    List<DelayedMessage> due = byDueTime.get(dueTime);
    if (due == null) {
      return;
    }
    for (Iterator<DelayedMessage> it = due.iterator(); it.hasNext(); ) {
      DelayedMessage message = it.next();
      if (cancellationToken.equals(message.cancellationToken())
          && sender.equals(message.envelope().caller())) {
        it.remove();
        break;
      }
    }
    if (due.isEmpty()) {
      byDueTime.remove(dueTime);
      timers.deleteProcessingTimeTimer(VoidNamespace.INSTANCE, dueTime);
    } else {
      byDueTime.put(dueTime, due);
    }
  }

  /** Takes the messages due at {@code dueTime}, in the order they were sent. */
  public List<Envelope> takeDue(long dueTime) throws Exception {
    List<DelayedMessage> due = byDueTime.get(dueTime);
    if (due == null) {
      return List.of();
    }
    byDueTime.remove(dueTime);
    List<Envelope> result = new ArrayList<>(due.size());
    for (DelayedMessage message : due) {
      if (message.cancellationToken() != null) {
        dueTimeByToken.remove(tokenKey(message.envelope().caller(), message.cancellationToken()));
      }
      result.add(message.envelope());
    }
    return result;
  }

  private static String tokenKey(Address sender, String token) {
    return sender.type().canonical() + '\n' + token;
  }
}
