package io.stateweave.sdk.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.sdk.Address;
import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.ValueSpec;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How the harness moves messages: invoking, delivering what was sent, time, clearing. */
class FunctionTestHarnessDeliveryTest {
  private static final TypeName EGRESS = TypeName.parse("test/out");

  @Test
  void invokingAnUnboundTypeFailsNamingIt() {
    FunctionTestHarness harness =
        FunctionTestHarness.forFunction("test/fn", (context, message) -> {});

    assertThatThrownBy(() -> harness.invoke(Address.of("test/nope", "a"), TypedValue.of(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("test/nope");
  }

  @Test
  void stateOfAnUnboundTypeFailsNamingIt() {
    FunctionTestHarness harness =
        FunctionTestHarness.forFunction("test/fn", (context, message) -> {});
    ValueSpec<Integer> count = ValueSpec.named("count").withIntType();

    assertThatThrownBy(() -> harness.state(Address.of("test/nope", "a"), count))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("test/nope");
    assertThatThrownBy(() -> harness.setState(Address.of("test/nope", "a"), count, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("test/nope");
  }

  @Test
  void deliverSentRunsChainsFirstSentFirstAndLeavesUnboundTargets() {
    // a counts down through b and back; every hop also leaves a note for an unbound type
    Address a = Address.of("test/a", "x");
    Address b = Address.of("test/b", "x");
    Address sink = Address.of("test/sink", "x");
    StatefulFunctions functions =
        new StatefulFunctions()
            .bind(
                "test/a",
                (context, message) -> {
                  int n = message.asInt();
                  context.sendEgress(EGRESS, TypedValue.of("a" + n));
                  context.send(sink, TypedValue.of("a" + n));
                  if (n > 0) {
                    context.send(b, TypedValue.of(n - 1));
                  }
                })
            .bind(
                "test/b",
                (context, message) -> {
                  int n = message.asInt();
                  context.sendEgress(EGRESS, TypedValue.of("b" + n));
                  context.send(a, TypedValue.of(n));
                });
    FunctionTestHarness harness = FunctionTestHarness.forFunctions(functions);

    harness.invoke(a, TypedValue.of(2));
    int delivered = harness.deliverSent();

    assertThat(delivered).isEqualTo(4);
    assertThat(harness.egress(EGRESS))
        .containsExactly(
            TypedValue.of("a2"),
            TypedValue.of("b1"),
            TypedValue.of("a1"),
            TypedValue.of("b0"),
            TypedValue.of("a0"));
    assertThat(harness.sent())
        .extracting(SentMessage::value)
        .containsExactly(TypedValue.of("a2"), TypedValue.of("a1"), TypedValue.of("a0"));
    assertThat(harness.sent()).extracting(SentMessage::target).containsOnly(sink);
  }

  @Test
  void deliveredMessagesHaveTheSenderAsCaller() {
    Address ping = Address.of("test/ping", "1");
    Address pong = Address.of("test/pong", "2");
    StatefulFunctions functions =
        new StatefulFunctions()
            .bind(
                "test/ping",
                (context, message) -> {
                  if (message.isString()) {
                    context.send(pong, TypedValue.of(1));
                  } else {
                    context.sendEgress(EGRESS, TypedValue.of("ping got " + message.asInt()));
                  }
                })
            .bind(
                "test/pong",
                (context, message) -> context.reply(TypedValue.of(message.asInt() + 1)));
    FunctionTestHarness harness = FunctionTestHarness.forFunctions(functions);

    harness.invoke(ping, TypedValue.of("go"));

    assertThat(harness.deliverSent()).isEqualTo(2);
    assertThat(harness.egress(EGRESS)).containsExactly(TypedValue.of("ping got 2"));
    assertThat(harness.sent()).isEmpty();
  }

  @Test
  void deliverSentWithNothingToDeliverReturnsZero() {
    FunctionTestHarness harness =
        FunctionTestHarness.forFunction("test/fn", (context, message) -> {});

    assertThat(harness.deliverSent()).isZero();
  }

  @Test
  void deliverSentFailsOnEndlessMessaging() {
    FunctionTestHarness harness =
        FunctionTestHarness.forFunction(
            "test/loop", (context, message) -> context.send(context.self(), message.typedValue()));

    harness.invoke(Address.of("test/loop", "forever"), TypedValue.of(1));

    assertThatThrownBy(harness::deliverSent)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(String.valueOf(FunctionTestHarness.MAX_DELIVERIES));
  }

  @Test
  void advanceTimeMovesTheClockAndRejectsGoingBack() {
    FunctionTestHarness harness =
        FunctionTestHarness.forFunction("test/fn", (context, message) -> {});

    assertThat(harness.now()).isEqualTo(Instant.EPOCH);
    harness.advanceTime(Duration.ofMinutes(2));
    assertThat(harness.now()).isEqualTo(Instant.EPOCH.plus(Duration.ofMinutes(2)));

    assertThatThrownBy(() -> harness.advanceTime(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(harness.now()).isEqualTo(Instant.EPOCH.plus(Duration.ofMinutes(2)));
  }

  @Test
  void dueTimeCountsFromWhenTheMessageWasSent() {
    Address self = Address.of("test/fn", "a");
    FunctionTestHarness harness =
        FunctionTestHarness.forFunction(
            "test/fn",
            (context, message) ->
                context.sendAfter(Duration.ofSeconds(10), self, TypedValue.of(1)));

    harness.advanceTime(Duration.ofSeconds(100));
    harness.invoke(self, TypedValue.of(0));

    assertThat(harness.delayed().get(0).dueAt()).isEqualTo(Instant.EPOCH.plusSeconds(110));
  }

  @Test
  void delayedMessagesThatBecomeDueAreNotDeliveredUntilAsked() {
    Address self = Address.of("test/fn", "a");
    FunctionTestHarness harness =
        FunctionTestHarness.forFunction(
            "test/fn",
            (context, message) -> {
              if (context.caller().isEmpty()) {
                context.sendAfter(Duration.ofSeconds(1), self, TypedValue.of("tick"));
              } else {
                context.sendEgress(EGRESS, message.typedValue());
              }
            });

    harness.invoke(self, TypedValue.of("start"));
    harness.advanceTime(Duration.ofSeconds(1));
    assertThat(harness.egress(EGRESS)).isEmpty();

    assertThat(harness.deliverSent()).isEqualTo(1);
    assertThat(harness.egress(EGRESS)).containsExactly(TypedValue.of("tick"));
  }

  @Test
  void clearOutputsForgetsSentAndEgressButKeepsPendingDelayedMessages() {
    Address self = Address.of("test/fn", "a");
    Address other = Address.of("test/other", "b");
    FunctionTestHarness harness =
        FunctionTestHarness.forFunction(
            "test/fn",
            (context, message) -> {
              context.send(other, TypedValue.of("now"));
              context.sendEgress(EGRESS, TypedValue.of("record"));
              context.sendAfter(Duration.ofSeconds(1), other, TypedValue.of("later"));
            });

    harness.invoke(self, TypedValue.of(1));
    harness.clearOutputs();

    assertThat(harness.sent()).isEmpty();
    assertThat(harness.egress(EGRESS)).isEmpty();
    assertThat(harness.delayed()).hasSize(1);

    harness.advanceTime(Duration.ofSeconds(1));
    assertThat(harness.sent())
        .containsExactly(new SentMessage(other, self, TypedValue.of("later")));
  }

  @Test
  void returnedListsAreSnapshots() {
    Address self = Address.of("test/fn", "a");
    FunctionTestHarness harness =
        FunctionTestHarness.forFunction(
            "test/fn", (context, message) -> context.send(self, TypedValue.of(1)));
    harness.invoke(self, TypedValue.of(0));

    var sent = harness.sent();
    harness.clearOutputs();

    assertThat(sent).hasSize(1);
    assertThatThrownBy(sent::clear).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void functionExceptionsReachTheTest() {
    FunctionTestHarness unchecked =
        FunctionTestHarness.forFunction(
            "test/fn",
            (context, message) -> {
              throw new IllegalStateException("boom");
            });
    FunctionTestHarness checked =
        FunctionTestHarness.forFunction(
            "test/fn",
            (context, message) -> {
              throw new IOException("disk");
            });
    Address self = Address.of("test/fn", "a");

    assertThatThrownBy(() -> unchecked.invoke(self, TypedValue.of(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("boom");
    assertThatThrownBy(() -> checked.invoke(self, TypedValue.of(1)))
        .hasMessageContaining("test/fn")
        .hasMessageContaining("'a'")
        .hasCauseInstanceOf(IOException.class);
  }
}
