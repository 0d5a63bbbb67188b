package io.stateweave.flink.delay;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.message.DelayedMessage;
import io.stateweave.flink.message.Envelope;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.Message;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order in which the heap queue hands out delayed messages, and what cancelling does. */
final class DueSoonQueueTest {
  private static final Address SENDER = Address.of("test/sender", "s");
  private static final TypeName TARGET = TypeName.parse("test/target");

  private final DueSoonQueue queue = new DueSoonQueue();

  @Test
  void messagesFallDueByDueTimeThenThoseFromKeyedStateThenInSendingOrder() {
    queue.add(20, message("late", null), false);
    queue.add(10, message("sent-second", null), false);
    queue.add(10, message("sent-third", null), false);
    // sent before the others with a longer delay, moved out of keyed state a horizon before
    queue.add(10, message("sent-first", null), true);

    assertThat(queue.nextDueTime()).isEqualTo(10);
    assertThat(payloads(queue.takeDue(9))).isEmpty();
    assertThat(payloads(queue.takeDue(10)))
        .containsExactly("sent-first", "sent-second", "sent-third");
    assertThat(queue.nextDueTime()).isEqualTo(20);
    assertThat(payloads(queue.takeDue(100))).containsExactly("late");
    assertThat(queue.nextDueTime()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void aCancelledMessageNeverFallsDueAndItsTokenIsFreeAgain() {
    queue.add(10, message("cancelled", "t"), false);
    queue.add(10, message("kept", "u"), false);

    assertThat(queue.hasToken(SENDER, "t")).isTrue();
    assertThat(queue.cancel(SENDER, "t")).isTrue();
    assertThat(queue.cancel(SENDER, "t")).isFalse();
    assertThat(queue.hasToken(SENDER, "t")).isFalse();
    assertThat(queue.hasToken(Address.of("test/sender", "other"), "u")).isFalse();

    assertThat(payloads(queue.takeDue(10))).containsExactly("kept");
    assertThat(queue.hasToken(SENDER, "u")).isFalse();
  }

  @Test
  void takingAllForACheckpointKeepsTheDueOrderAndLeavesNothing() {
    queue.add(30, message("c", null), false);
    queue.add(10, message("a", "t"), false);
    queue.add(20, message("cancelled", "u"), false);
    queue.add(20, message("b", null), false);
    queue.cancel(SENDER, "u");

    List<DueSoonQueue.Entry> all = queue.takeAll();

    assertThat(all).extracting(entry -> entry.dueTime).containsExactly(10L, 20L, 30L);
    assertThat(all)
        .extracting(entry -> new Message(entry.message.envelope().payload()).asString())
        .containsExactly("a", "b", "c");
    assertThat(queue.nextDueTime()).isEqualTo(Long.MAX_VALUE);
    assertThat(queue.hasToken(SENDER, "t")).isFalse();
  }

  private static DelayedMessage message(String payload, String token) {
    return new DelayedMessage(Envelope.to(TARGET, "x", SENDER, TypedValue.of(payload)), token);
  }

  private static List<String> payloads(List<Envelope> envelopes) {
    return envelopes.stream().map(envelope -> new Message(envelope.payload()).asString()).toList();
  }
}
