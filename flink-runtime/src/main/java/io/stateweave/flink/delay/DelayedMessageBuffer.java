package io.stateweave.flink.delay;

import io.stateweave.flink.message.DelayedMessage;
import io.stateweave.flink.message.DelayedMessageSerializer;
import io.stateweave.sdk.Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.internal.InternalListState;
import org.apache.flink.streaming.api.operators.InternalTimerService;

/**
 * Delayed messages of the current key (the sender's address id) in keyed state: a list per due time
 * (the namespace), as Flink's window operator keeps window contents, with one processing-time timer
 * per due time, a horizon before it (the timer's namespace is the due time). Adding a message
 * appends without reading what is due already (a merge in RocksDB); a second timer for the same key
 * and time is no new timer. A token index (sender type + token → due time) lets the sender cancel a
 * message; the timer goes too when nothing else is due then.
 */
final class DelayedMessageBuffer {
  private static final String MESSAGES_STATE = "stateweave-delayed-messages";

  private final InternalListState<String, Long, DelayedMessage> byDueTime;
  private final MapState<String, Long> dueTimeByToken;
  private final InternalTimerService<Long> timers;
  private final long horizon;

  @SuppressWarnings("unchecked")
  DelayedMessageBuffer(
      KeyedStateBackend<String> backend, InternalTimerService<Long> timers, long horizon)
      throws Exception {
    this.timers = Objects.requireNonNull(timers, "timers");
    this.horizon = horizon;
    this.byDueTime =
        (InternalListState<String, Long, DelayedMessage>)
            backend.getOrCreateKeyedState(
                LongSerializer.INSTANCE,
                new ListStateDescriptor<>(MESSAGES_STATE, new DelayedMessageSerializer()));
    this.dueTimeByToken =
        backend.getPartitionedState(
            VoidNamespace.INSTANCE,
            VoidNamespaceSerializer.INSTANCE,
            new MapStateDescriptor<>(
                "stateweave-delayed-message-tokens",
                StringSerializer.INSTANCE,
                LongSerializer.INSTANCE));
  }

  /** Buffers a message of the current key; its timer fires a horizon before it is due. */
  void add(long dueTime, DelayedMessage message) throws Exception {
    if (message.cancellationToken() != null) {
      dueTimeByToken.put(
          tokenKey(message.envelope().caller(), message.cancellationToken()), dueTime);
    }
    byDueTime.setCurrentNamespace(dueTime);
    byDueTime.add(message);
    timers.registerProcessingTimeTimer(dueTime, dueTime - horizon);
  }

  boolean hasToken(Address sender, String cancellationToken) throws Exception {
    return dueTimeByToken.contains(tokenKey(sender, cancellationToken));
  }

  /** Removes the message the sender sent with this token; false if there is none here. */
  boolean cancel(Address sender, String cancellationToken) throws Exception {
    String tokenKey = tokenKey(sender, cancellationToken);
    Long dueTime = dueTimeByToken.get(tokenKey);
    if (dueTime == null) {
      return false;
    }
    dueTimeByToken.remove(tokenKey);
    byDueTime.setCurrentNamespace(dueTime);
    Iterable<DelayedMessage> due = byDueTime.get();
    if (due == null) {
      return false;
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
      timers.deleteProcessingTimeTimer(dueTime, dueTime - horizon);
    } else if (removed) {
      byDueTime.update(remaining);
    }
    return removed;
  }

  /** Takes the current key's messages due at {@code dueTime}, in the order they were sent. */
  List<DelayedMessage> takeDue(long dueTime) throws Exception {
    byDueTime.setCurrentNamespace(dueTime);
    Iterable<DelayedMessage> due = byDueTime.get();
    if (due == null) {
      return List.of();
    }
    List<DelayedMessage> result = new ArrayList<>();
    for (DelayedMessage message : due) {
      if (message.cancellationToken() != null) {
        dueTimeByToken.remove(tokenKey(message.envelope().caller(), message.cancellationToken()));
      }
      result.add(message);
    }
    byDueTime.clear();
    return result;
  }

  /** Calls {@code action} with the sender of every message buffered; changes the current key. */
  void forEachSender(KeyedStateBackend<String> backend, Consumer<Address> action)
      throws Exception {
    List<Tuple2<String, Long>> keysAndDueTimes;
    try (Stream<Tuple2<String, Long>> all = backend.getKeysAndNamespaces(MESSAGES_STATE)) {
      // collected first: reading state while the backend iterates it is not safe on every backend
      keysAndDueTimes = all.collect(Collectors.toList());
    }
    for (Tuple2<String, Long> keyAndDueTime : keysAndDueTimes) {
      backend.setCurrentKey(keyAndDueTime.f0);
      byDueTime.setCurrentNamespace(keyAndDueTime.f1);
      Iterable<DelayedMessage> due = byDueTime.get();
      if (due != null) {
        for (DelayedMessage message : due) {
          action.accept(message.envelope().caller());
        }
      }
    }
  }

  private static String tokenKey(Address sender, String token) {
    return sender.type().canonical() + '\n' + token;
  }
}
