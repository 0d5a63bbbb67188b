package io.stateweave.sdk.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.sdk.Address;
import io.stateweave.sdk.Context;
import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.ValueSpec;
import io.stateweave.sdk.testing.proto.Admin;
import io.stateweave.sdk.testing.proto.User;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Every {@link Context} operation, as a function sees it and as the harness records it. */
class FunctionTestHarnessContextTest {
  private static final Address SELF = Address.of("test/fn", "me");
  private static final Address OTHER = Address.of("test/other", "you");
  private static final TypeName EGRESS = TypeName.parse("test/out");
  private static final User SETH = User.newBuilder().setUserId("u1").setName("Seth").build();

  /** A harness whose function at {@code test/fn} runs {@code body}. */
  private static FunctionTestHarness harness(Consumer<Context> body) {
    return FunctionTestHarness.forFunction("test/fn", (context, message) -> body.accept(context));
  }

  @Test
  void selfIsTheInvokedAddress() {
    List<Address> seen = new ArrayList<>();
    FunctionTestHarness harness = harness(context -> seen.add(context.self()));

    harness.invoke(Address.of("test/fn", "a"), TypedValue.of(1));
    harness.invoke(Address.of("test/fn", "b"), TypedValue.of(1));

    assertThat(seen).containsExactly(Address.of("test/fn", "a"), Address.of("test/fn", "b"));
  }

  @Test
  void callerIsEmptyFromAnIngressAndTheSenderOtherwise() {
    List<Optional<Address>> seen = new ArrayList<>();
    FunctionTestHarness harness = harness(context -> seen.add(context.caller()));

    harness.invoke(SELF, TypedValue.of(1));
    harness.invoke(SELF, OTHER, TypedValue.of(2));

    assertThat(seen).containsExactly(Optional.empty(), Optional.of(OTHER));
  }

  @Test
  void sendRecordsTheMessageWithTheSenderAsCaller() {
    FunctionTestHarness harness =
        harness(
            context -> {
              context.send(OTHER, TypedValue.of("first"));
              context.send(OTHER, TypedValue.of("second"));
            });

    harness.invoke(SELF, TypedValue.of(1));

    assertThat(harness.sent())
        .containsExactly(
            new SentMessage(OTHER, SELF, TypedValue.of("first")),
            new SentMessage(OTHER, SELF, TypedValue.of("second")));
  }

  @Test
  void packAndSendPacksTheProtobufMessageAsAny() {
    FunctionTestHarness harness = harness(context -> context.packAndSend(OTHER, SETH));

    harness.invoke(SELF, TypedValue.of(1));

    SentMessage sent = harness.sent().get(0);
    assertThat(sent.value().typeName().canonical())
        .isEqualTo("type.googleapis.com/io.stateweave.sdk.testing.proto.User");
    assertThat(sent.value().toAny()).isEqualTo(com.google.protobuf.Any.pack(SETH));
  }

  @Test
  void replySendsToTheCaller() {
    FunctionTestHarness harness = harness(context -> context.reply(TypedValue.of("pong")));

    harness.invoke(SELF, OTHER, TypedValue.of("ping"));

    assertThat(harness.sent()).containsExactly(new SentMessage(OTHER, SELF, TypedValue.of("pong")));
  }

  @Test
  void packAndReplySendsThePackedMessageToTheCaller() {
    Admin admin = Admin.newBuilder().setName("root").build();
    FunctionTestHarness harness = harness(context -> context.packAndReply(admin));

    harness.invoke(SELF, OTHER, TypedValue.of("ping"));

    assertThat(harness.sent())
        .containsExactly(new SentMessage(OTHER, SELF, TypedValue.pack(admin)));
  }

  @Test
  void replyWithoutCallerFailsNamingTheFunction() {
    FunctionTestHarness harness = harness(context -> context.reply(TypedValue.of("pong")));

    assertThatThrownBy(() -> harness.invoke(SELF, TypedValue.of("ping")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("test/fn")
        .hasMessageContaining("'me'")
        .hasMessageContaining("no caller");
    assertThat(harness.sent()).isEmpty();
  }

  @Test
  void packAndReplyWithoutCallerFails() {
    FunctionTestHarness harness = harness(context -> context.packAndReply(SETH));

    assertThatThrownBy(() -> harness.invoke(SELF, TypedValue.of("ping")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no caller");
  }

  @Test
  void sendAfterWaitsUntilTheClockReachesTheDueTime() {
    FunctionTestHarness harness =
        harness(context -> context.sendAfter(Duration.ofSeconds(10), OTHER, TypedValue.of("late")));

    harness.invoke(SELF, TypedValue.of(1));

    assertThat(harness.sent()).isEmpty();
    assertThat(harness.delayed())
        .containsExactly(
            new DelayedMessage(
                OTHER,
                SELF,
                TypedValue.of("late"),
                Duration.ofSeconds(10),
                Instant.EPOCH.plusSeconds(10),
                null));

    harness.advanceTime(Duration.ofSeconds(9));
    assertThat(harness.sent()).isEmpty();

    harness.advanceTime(Duration.ofSeconds(1));
    assertThat(harness.delayed()).isEmpty();
    assertThat(harness.sent()).containsExactly(new SentMessage(OTHER, SELF, TypedValue.of("late")));
  }

  @Test
  void packAndSendAfterPacksTheMessage() {
    FunctionTestHarness harness =
        harness(context -> context.packAndSendAfter(Duration.ofMinutes(1), OTHER, SETH));

    harness.invoke(SELF, TypedValue.of(1));

    DelayedMessage delayed = harness.delayed().get(0);
    assertThat(delayed.value()).isEqualTo(TypedValue.pack(SETH));
    assertThat(delayed.delay()).isEqualTo(Duration.ofMinutes(1));
    assertThat(delayed.cancellationToken()).isEmpty();
  }

  @Test
  void delayedMessagesArriveInDueOrderAndKeepTheSenderAsCaller() {
    FunctionTestHarness harness =
        FunctionTestHarness.forFunction(
            "test/fn",
            (context, message) -> {
              if (context.caller().isPresent()) {
                context.sendEgress(EGRESS, TypedValue.of(context.caller().get().id()));
                return;
              }
              context.sendAfter(Duration.ofSeconds(30), context.self(), TypedValue.of("c"));
              context.sendAfter(Duration.ofSeconds(10), context.self(), TypedValue.of("a"));
              context.sendAfter(Duration.ofSeconds(10), context.self(), TypedValue.of("b"));
            });

    harness.invoke(SELF, TypedValue.of("start"));
    harness.advanceTime(Duration.ofMinutes(1));

    assertThat(harness.sent())
        .extracting(SentMessage::value)
        .containsExactly(TypedValue.of("a"), TypedValue.of("b"), TypedValue.of("c"));
    assertThat(harness.sent()).extracting(SentMessage::caller).containsOnly(SELF);

    assertThat(harness.deliverSent()).isEqualTo(3);
    assertThat(harness.egress(EGRESS)).containsOnly(TypedValue.of("me"));
  }

  @Test
  void zeroDelayIsAllowedAndDueOnTheNextClockTick() {
    FunctionTestHarness harness =
        harness(context -> context.sendAfter(Duration.ZERO, OTHER, TypedValue.of("now")));

    harness.invoke(SELF, TypedValue.of(1));
    assertThat(harness.delayed()).hasSize(1);

    harness.advanceTime(Duration.ZERO);
    assertThat(harness.sent()).containsExactly(new SentMessage(OTHER, SELF, TypedValue.of("now")));
  }

  @Test
  void negativeDelayIsRejected() {
    FunctionTestHarness harness =
        harness(context -> context.sendAfter(Duration.ofMillis(-1), OTHER, TypedValue.of(1)));

    assertThatThrownBy(() -> harness.invoke(SELF, TypedValue.of(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
    assertThat(harness.delayed()).isEmpty();
  }

  @Test
  void cancelledDelayedMessageNeverArrives() {
    FunctionTestHarness harness =
        FunctionTestHarness.forFunction(
            "test/fn",
            (context, message) -> {
              if (message.asString().equals("schedule")) {
                context.sendAfter(Duration.ofSeconds(5), "reminder", OTHER, TypedValue.of("r"));
                context.sendAfter(Duration.ofSeconds(5), "other", OTHER, TypedValue.of("o"));
              } else {
                context.cancelDelayedMessage("reminder");
              }
            });

    harness.invoke(SELF, TypedValue.of("schedule"));
    assertThat(harness.delayed())
        .extracting(m -> m.cancellationToken().orElseThrow())
        .containsExactly("reminder", "other");

    harness.invoke(SELF, TypedValue.of("cancel"));
    harness.advanceTime(Duration.ofSeconds(5));

    assertThat(harness.sent()).containsExactly(new SentMessage(OTHER, SELF, TypedValue.of("o")));
  }

  @Test
  void cancellationTokensAreScopedToTheSendingAddress() {
    Address mine = Address.of("test/fn", "a");
    Address theirs = Address.of("test/fn", "b");
    FunctionTestHarness harness =
        FunctionTestHarness.forFunction(
            "test/fn",
            (context, message) -> {
              if (message.asString().equals("schedule")) {
                // the same token from two addresses is two different messages
                context.sendAfter(
                    Duration.ofSeconds(5), "t", OTHER, TypedValue.of(context.self().id()));
              } else {
                context.cancelDelayedMessage("t");
              }
            });

    harness.invoke(mine, TypedValue.of("schedule"));
    harness.invoke(theirs, TypedValue.of("schedule"));
    harness.invoke(mine, TypedValue.of("cancel"));

    assertThat(harness.delayed()).extracting(DelayedMessage::sender).containsExactly(theirs);
  }

  @Test
  void cancellingAnUnknownTokenDoesNothing() {
    FunctionTestHarness harness =
        FunctionTestHarness.forFunction(
            "test/fn",
            (context, message) -> {
              if (message.asString().equals("schedule")) {
                context.sendAfter(Duration.ofSeconds(5), "kept", OTHER, TypedValue.of(1));
              } else {
                context.cancelDelayedMessage("never-used");
              }
            });

    harness.invoke(SELF, TypedValue.of("schedule"));
    harness.invoke(SELF, TypedValue.of("cancel"));

    assertThat(harness.delayed()).hasSize(1);
  }

  @Test
  void aTokenStillPendingFromTheSameAddressCannotBeReused() {
    FunctionTestHarness harness =
        harness(
            context -> context.sendAfter(Duration.ofSeconds(5), "once", OTHER, TypedValue.of(1)));

    harness.invoke(SELF, TypedValue.of(1));

    assertThatThrownBy(() -> harness.invoke(SELF, TypedValue.of(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'once'");
    assertThat(harness.delayed()).hasSize(1);
  }

  @Test
  void aTokenCanBeReusedOnceItsMessageArrived() {
    FunctionTestHarness harness =
        harness(
            context -> context.sendAfter(Duration.ofSeconds(5), "once", OTHER, TypedValue.of(1)));

    harness.invoke(SELF, TypedValue.of(1));
    harness.advanceTime(Duration.ofSeconds(5));
    harness.invoke(SELF, TypedValue.of(2));

    assertThat(harness.sent()).hasSize(1);
    assertThat(harness.delayed()).hasSize(1);
  }

  @Test
  void sendEgressKeepsRecordsPerEgressInSendOrder() {
    TypeName audit = TypeName.parse("test/audit");
    FunctionTestHarness harness =
        harness(
            context -> {
              context.sendEgress(EGRESS, TypedValue.of("one"));
              context.sendEgress(audit, TypedValue.of("audit"));
              context.sendEgress(EGRESS, TypedValue.of("two"));
            });

    harness.invoke(SELF, TypedValue.of(1));

    assertThat(harness.egress(EGRESS)).containsExactly(TypedValue.of("one"), TypedValue.of("two"));
    assertThat(harness.egress(audit)).containsExactly(TypedValue.of("audit"));
    assertThat(harness.egress(TypeName.parse("test/unused"))).isEmpty();
  }

  @Test
  void packAndSendEgressPacksTheRecord() {
    FunctionTestHarness harness = harness(context -> context.packAndSendEgress(EGRESS, SETH));

    harness.invoke(SELF, TypedValue.of(1));

    assertThat(harness.egress(EGRESS)).containsExactly(TypedValue.pack(SETH));
  }

  @Test
  void storageIsTheInvokedAddressStorage() {
    ValueSpec<String> seen = ValueSpec.named("seen").withStringType();
    FunctionTestHarness harness =
        harness(context -> context.storage().set(seen, "by " + context.self().id()));

    harness.invoke(Address.of("test/fn", "a"), TypedValue.of(1));

    assertThat(harness.state(Address.of("test/fn", "a"), seen)).contains("by a");
    assertThat(harness.state(Address.of("test/fn", "b"), seen)).isEmpty();
  }

  @Test
  void forFunctionsRunsEveryBoundFunction() {
    StatefulFunctions functions =
        new StatefulFunctions()
            .bind("test/fn", (context, message) -> context.send(OTHER, message.typedValue()))
            .bind(
                "test/other",
                (context, message) -> context.sendEgress(EGRESS, message.typedValue()));
    FunctionTestHarness harness = FunctionTestHarness.forFunctions(functions);

    harness.invoke(SELF, TypedValue.of("hop"));
    harness.deliverSent();

    assertThat(harness.egress(EGRESS)).containsExactly(TypedValue.of("hop"));
  }
}
