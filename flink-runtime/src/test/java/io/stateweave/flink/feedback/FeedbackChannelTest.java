package io.stateweave.flink.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.message.Envelope;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.TypedValue;
import java.lang.ref.WeakReference;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a cut of the channel holds on to in memory, and for how long; the channel's backlog. */
@Timeout(60)
final class FeedbackChannelTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  @Test
  void aCutHoldsTheMessagesTakenAfterItUntilItsCheckpointIsAborted() throws Exception {
    FeedbackChannel channel = new FeedbackChannel();
    channel.cut(1);
    WeakReference<Envelope> taken = putAndTake(channel);

    assertThat(collected(taken)).as("held by the cut of checkpoint 1").isFalse();
    channel.forget(1);
    assertThat(collected(taken)).as("held after checkpoint 1 was aborted").isTrue();
  }

  @Test
  void withoutACutATakenMessageIsHeldByNothing() throws Exception {
    FeedbackChannel channel = new FeedbackChannel();
    WeakReference<Envelope> taken = putAndTake(channel);
    assertThat(collected(taken)).isTrue();
  }

  @Test
  void theBacklogIsWhatWasPutAndNotYetTaken() {
    FeedbackChannel channel = new FeedbackChannel();
    assertThat(channel.backlog()).isZero();
    for (String text : new String[] {"one", "two", "three"}) {
      channel.put(new Envelope(new Address(LoopFunctions.COUNTER, "a"), null, TypedValue.of(text)));
    }
    assertThat(channel.backlog()).isEqualTo(3);
    channel.poll();
    assertThat(channel.backlog()).isEqualTo(2);
    channel.poll();
    channel.poll();
    assertThat(channel.poll()).isNull();
    assertThat(channel.backlog()).isZero();
  }

  /** A message taken from the channel, and another after it, which the channel still knows. */
  private static WeakReference<Envelope> putAndTake(FeedbackChannel channel) {
    channel.put(
        new Envelope(new Address(LoopFunctions.COUNTER, "a"), null, TypedValue.of("taken")));
    channel.put(new Envelope(new Address(LoopFunctions.COUNTER, "a"), null, TypedValue.of("last")));
    WeakReference<Envelope> taken = new WeakReference<>(channel.poll());
    channel.poll();
    return taken;
  }

  /** Whether the garbage collector freed the message within {@link #PATIENCE}. */
  private static boolean collected(WeakReference<Envelope> reference) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (reference.get() != null && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(10);
    }
    return reference.get() == null;
  }
}
