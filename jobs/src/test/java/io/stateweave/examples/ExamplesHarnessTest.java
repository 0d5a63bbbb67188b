package io.stateweave.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.examples.generated.Admin;
import io.stateweave.examples.generated.User;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.UnexpectedMessageException;
import io.stateweave.sdk.testing.FunctionTestHarness;
import io.stateweave.sdk.testing.SentMessage;
import io.stateweave.sdk.types.Types;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The examples unit-tested without Flink, as a user would test their own functions. */
class ExamplesHarnessTest {
  private final FunctionTestHarness harness =
      FunctionTestHarness.forFunctions(new Examples().functions());

  @Test
  void goodbyeDispatchesOnTheMessageType() {
    Address address = new Address(Goodbye.TYPE, "x");
    harness.invoke(address, TypedValue.pack(User.newBuilder().setName("Seth").build()));
    harness.invoke(address, TypedValue.pack(Admin.newBuilder().setName("Ada").build()));

    assertThat(texts(harness.egress(Goodbye.FAREWELLS)))
        .containsExactly("Goodbye user Seth", "Goodbye admin Ada");
  }

  @Test
  void goodbyeRejectsAMessageItHasNoHandlerFor() {
    assertThatThrownBy(() -> harness.invoke(new Address(Goodbye.TYPE, "x"), TypedValue.of(7)))
        .isInstanceOf(UnexpectedMessageException.class)
        .hasMessageContaining("example/goodbye")
        .hasMessageContaining("io.statefun.types/int")
        .hasMessageContaining("type.googleapis.com/example.User")
        .hasMessageContaining("type.googleapis.com/example.Admin");
  }

  @Test
  void callerSendsSethToTheGreeterAtUser1() {
    harness.invoke(new Address(Caller.TYPE, "c"), TypedValue.of("go"));

    List<SentMessage> sent = harness.sent();
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).target()).isEqualTo(new Address(Greeter.TYPE, "user1"));
    assertThat(sent.get(0).value())
        .isEqualTo(TypedValue.pack(User.newBuilder().setUserId("user1").setName("Seth").build()));
    assertThat(harness.deliverSent()).isEqualTo(1);
    assertThat(texts(harness.egress(Greeter.GREETINGS))).containsExactly("Hello Seth");
  }

  @Test
  void reminderIsDueAfterItsDelayUnlessCancelled() {
    Address kept = new Address(Reminder.TYPE, "kept");
    Address cancelled = new Address(Reminder.TYPE, "cancelled");
    harness.invoke(kept, TypedValue.of("remind 1000"));
    harness.invoke(cancelled, TypedValue.of("remind 1000"));
    harness.invoke(cancelled, TypedValue.of("cancel"));

    assertThat(harness.delayed()).hasSize(1);
    assertThat(harness.delayed().get(0).target()).isEqualTo(kept);
    harness.advanceTime(Duration.ofMillis(999));
    assertThat(harness.sent()).isEmpty();
    harness.advanceTime(Duration.ofMillis(1));
    assertThat(harness.sent()).extracting(SentMessage::target).containsExactly(kept);
  }

  @Test
  void relayPassesAMessageAlongEightIdsThenToTheCounter() {
    harness.invoke(new Address(Relay.TYPE, "k"), TypedValue.of("event"));
    harness.invoke(new Address(Relay.TYPE, "k"), TypedValue.of("event"));

    assertThat(harness.deliverSent()).isEqualTo(2 * 8);
    assertThat(texts(harness.egress(Counter.COUNTS))).containsExactly("k 1", "k 2");
    assertThat(harness.state(new Address(Counter.TYPE, "k"), Counter.COUNT)).contains(2L);
  }

  @Test
  void counterReportsEachAddressesCount() {
    harness.invoke(new Address(Counter.TYPE, "a"), TypedValue.of("x"));
    harness.invoke(new Address(Counter.TYPE, "b"), TypedValue.of("x"));
    harness.invoke(new Address(Counter.TYPE, "a"), TypedValue.of("x"));

    assertThat(texts(harness.egress(Counter.COUNTS))).containsExactly("a 1", "b 1", "a 2");
  }

  private static List<String> texts(List<TypedValue> values) {
    return values.stream()
        .map(v -> Types.STRING.deserialize(v.bytes()))
        .collect(Collectors.toList());
  }
}
