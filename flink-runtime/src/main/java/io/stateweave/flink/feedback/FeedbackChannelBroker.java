package io.stateweave.flink.feedback;

import java.util.HashMap;
import java.util.Map;

/**
 * Hands the same {@link FeedbackChannel} to the tail and the dispatcher that share a key, whichever
 * opens first, and forgets it when both closed. JVM-wide because the two are different tasks.
 */
final class FeedbackChannelBroker {
  private static final Map<FeedbackKey, Entry> CHANNELS = new HashMap<>();

  private FeedbackChannelBroker() {}

  static synchronized FeedbackChannel acquire(FeedbackKey key) {
    Entry entry = CHANNELS.computeIfAbsent(key, k -> new Entry());
    entry.users++;
    return entry.channel;
  }

  static synchronized void release(FeedbackKey key) {
    Entry entry = CHANNELS.get(key);
    if (entry != null && --entry.users <= 0) {
      CHANNELS.remove(key);
    }
  }

  private static final class Entry {
    final FeedbackChannel channel = new FeedbackChannel();
    int users;
  }
}
