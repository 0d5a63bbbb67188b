package io.stateweave.sdk.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.sdk.Address;
import io.stateweave.sdk.Context;
import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.ValueSpec;
import io.stateweave.sdk.testing.proto.User;
import io.stateweave.sdk.types.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** State as a function sees it through {@code context.storage()} and as a test sees it. */
class FunctionTestHarnessStateTest {
  private static final Address SELF = Address.of("test/fn", "me");
  private static final ValueSpec<Integer> COUNT = ValueSpec.named("count").withIntType();
  private static final ValueSpec<String> NAME = ValueSpec.named("name").withStringType();
  private static final TypeName EGRESS = TypeName.parse("test/out");

  private static FunctionTestHarness harness(Consumer<Context> body, ValueSpec<?>... specs) {
    return FunctionTestHarness.forFunction(
        "test/fn", (context, message) -> body.accept(context), specs);
  }

  /** A function that counts its invocations per address. */
  private static FunctionTestHarness counter(ValueSpec<Integer> spec) {
    return harness(
        context -> context.storage().set(spec, context.storage().get(spec).orElse(0) + 1), spec);
  }

  @Test
  void neverSetStateIsAbsent() {
    List<Optional<Integer>> seen = new ArrayList<>();
    FunctionTestHarness harness = harness(context -> seen.add(context.storage().get(COUNT)), COUNT);

    harness.invoke(SELF, TypedValue.of(1));

    assertThat(seen).containsExactly(Optional.empty());
    assertThat(harness.state(SELF, COUNT)).isEmpty();
  }

  @Test
  void defaultValuesAreStillPresent() {
    ValueSpec<Boolean> flag = ValueSpec.named("flag").withBooleanType();
    ValueSpec<Long> total = ValueSpec.named("total").withLongType();
    ValueSpec<Double> ratio = ValueSpec.named("ratio").withDoubleType();
    FunctionTestHarness harness =
        harness(
            context -> {
              context.storage().set(COUNT, 0);
              context.storage().set(NAME, "");
              context.storage().set(flag, false);
              context.storage().set(total, 0L);
              context.storage().set(ratio, 0.0);
            });

    harness.invoke(SELF, TypedValue.of(1));

    assertThat(harness.state(SELF, COUNT)).contains(0);
    assertThat(harness.state(SELF, NAME)).contains("");
    assertThat(harness.state(SELF, flag)).contains(false);
    assertThat(harness.state(SELF, total)).contains(0L);
    assertThat(harness.state(SELF, ratio)).contains(0.0);
  }

  @Test
  void stateSurvivesBetweenInvocations() {
    FunctionTestHarness harness = counter(COUNT);

    harness.invoke(SELF, TypedValue.of(1));
    harness.invoke(SELF, TypedValue.of(1));
    harness.invoke(SELF, TypedValue.of(1));

    assertThat(harness.state(SELF, COUNT)).contains(3);
  }

  @Test
  void removedStateIsAbsent() {
    List<Optional<Integer>> seen = new ArrayList<>();
    FunctionTestHarness harness =
        harness(
            context -> {
              context.storage().remove(COUNT);
              seen.add(context.storage().get(COUNT));
            },
            COUNT);
    harness.setState(SELF, COUNT, 7);

    harness.invoke(SELF, TypedValue.of(1));

    assertThat(seen).containsExactly(Optional.empty());
    assertThat(harness.state(SELF, COUNT)).isEmpty();
  }

  @Test
  void settingNullFailsAndKeepsTheValue() {
    FunctionTestHarness harness = harness(context -> context.storage().set(NAME, null), NAME);
    harness.setState(SELF, NAME, "kept");

    assertThatThrownBy(() -> harness.invoke(SELF, TypedValue.of(1)))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("'name'")
        .hasMessageContaining("test/fn");
    assertThat(harness.state(SELF, NAME)).contains("kept");
  }

  @Test
  void setStateIsWhatTheFunctionReads() {
    List<Optional<String>> seen = new ArrayList<>();
    FunctionTestHarness harness = harness(context -> seen.add(context.storage().get(NAME)), NAME);

    harness.setState(SELF, NAME, "preset");
    harness.invoke(SELF, TypedValue.of(1));

    assertThat(seen).containsExactly(Optional.of("preset"));
  }

  @Test
  void protobufState() {
    ValueSpec<User> user = ValueSpec.named("user").withType(Types.protobuf(User.class));
    User seth = User.newBuilder().setUserId("u1").setName("Seth").build();
    FunctionTestHarness harness = harness(context -> context.storage().set(user, seth), user);

    harness.invoke(SELF, TypedValue.of(1));

    assertThat(harness.state(SELF, user)).contains(seth);
  }

  /** A JSON-mapped state type; mutable on purpose. */
  public static final class Profile {
    public String name;
    public List<String> tags = new ArrayList<>();
  }

  @Test
  void jsonStateIsStoredAsBytesSoMutatingAReadValueChangesNothing() {
    ValueSpec<Profile> profile =
        ValueSpec.named("profile").withType(Types.json("test/profile", Profile.class));
    FunctionTestHarness harness =
        harness(
            context -> {
              Profile value = context.storage().get(profile).orElseGet(Profile::new);
              value.tags.add("seen");
              if (value.tags.size() == 1) {
                value.name = "Seth";
                context.storage().set(profile, value);
              }
              // the second invocation mutates its copy without writing it back
            },
            profile);

    harness.invoke(SELF, TypedValue.of(1));
    harness.invoke(SELF, TypedValue.of(1));

    Profile stored = harness.state(SELF, profile).orElseThrow();
    assertThat(stored.name).isEqualTo("Seth");
    assertThat(stored.tags).containsExactly("seen");
  }

  @Test
  void stateIsIsolatedBetweenIds() {
    FunctionTestHarness harness = counter(COUNT);
    Address other = Address.of("test/fn", "other");

    harness.invoke(SELF, TypedValue.of(1));
    harness.invoke(SELF, TypedValue.of(1));
    harness.invoke(other, TypedValue.of(1));

    assertThat(harness.state(SELF, COUNT)).contains(2);
    assertThat(harness.state(other, COUNT)).contains(1);
  }

  @Test
  void stateIsIsolatedBetweenFunctionTypesWithTheSameId() {
    StatefulFunctions functions =
        new StatefulFunctions()
            .bind("test/a", (context, message) -> context.storage().set(NAME, "a"), NAME)
            .bind("test/b", (context, message) -> context.storage().set(NAME, "b"), NAME)
            .bind("test/c", (context, message) -> {}, NAME);
    FunctionTestHarness harness = FunctionTestHarness.forFunctions(functions);

    harness.invoke(Address.of("test/a", "same"), TypedValue.of(1));
    harness.invoke(Address.of("test/b", "same"), TypedValue.of(1));

    assertThat(harness.state(Address.of("test/a", "same"), NAME)).contains("a");
    assertThat(harness.state(Address.of("test/b", "same"), NAME)).contains("b");
    assertThat(harness.state(Address.of("test/c", "same"), NAME)).isEmpty();
  }

  @Test
  void sameStateNameMayHaveDifferentTypesInDifferentFunctionTypes() {
    ValueSpec<String> countAsText = ValueSpec.named("count").withStringType();
    StatefulFunctions functions =
        new StatefulFunctions()
            .bind("test/a", (context, message) -> context.storage().set(COUNT, 1), COUNT)
            .bind("test/b", (context, message) -> context.storage().set(countAsText, "one"));
    FunctionTestHarness harness = FunctionTestHarness.forFunctions(functions);

    harness.invoke(Address.of("test/a", "x"), TypedValue.of(1));
    harness.invoke(Address.of("test/b", "x"), TypedValue.of(1));

    assertThat(harness.state(Address.of("test/a", "x"), COUNT)).contains(1);
    assertThat(harness.state(Address.of("test/b", "x"), countAsText)).contains("one");
  }

  @Test
  void specsUsedOnTheFlyWorkWithoutBeingDeclared() {
    FunctionTestHarness harness = counter(COUNT);
    FunctionTestHarness undeclared =
        harness(
            context -> context.storage().set(COUNT, context.storage().get(COUNT).orElse(0) + 1));

    harness.invoke(SELF, TypedValue.of(1));
    undeclared.invoke(SELF, TypedValue.of(1));
    undeclared.invoke(SELF, TypedValue.of(1));

    assertThat(harness.state(SELF, COUNT)).contains(1);
    assertThat(undeclared.state(SELF, COUNT)).contains(2);
  }

  @Test
  void usingADeclaredStateNameWithAnotherTypeFails() {
    ValueSpec<String> countAsText = ValueSpec.named("count").withStringType();
    FunctionTestHarness harness = harness(context -> context.storage().get(countAsText), COUNT);

    assertThatThrownBy(() -> harness.invoke(SELF, TypedValue.of(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("test/fn")
        .hasMessageContaining("'count'");
  }

  @Test
  void usingADeclaredStateNameWithAnotherExpirationFails() {
    FunctionTestHarness harness =
        harness(
            context -> context.storage().set(COUNT.thatExpiresAfterWrite(Duration.ofMinutes(1)), 1),
            COUNT);

    assertThatThrownBy(() -> harness.invoke(SELF, TypedValue.of(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("test/fn")
        .hasMessageContaining("'count'");
  }

  @Test
  void usingAnOnTheFlyStateNameWithAnotherTypeFails() {
    ValueSpec<String> countAsText = ValueSpec.named("count").withStringType();
    FunctionTestHarness harness =
        harness(
            context -> {
              context.storage().set(COUNT, 1);
              context.storage().set(countAsText, "1");
            });

    assertThatThrownBy(() -> harness.invoke(SELF, TypedValue.of(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("test/fn")
        .hasMessageContaining("'count'");
  }

  @Test
  void readingStateFromTheTestWithAConflictingSpecFails() {
    FunctionTestHarness harness = counter(COUNT);

    assertThatThrownBy(() -> harness.state(SELF, ValueSpec.named("count").withLongType()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'count'");
  }

  @Test
  void afterWriteExpirationCountsFromTheLastWrite() {
    ValueSpec<String> session =
        ValueSpec.named("session").withStringType().thatExpiresAfterWrite(Duration.ofMinutes(10));
    FunctionTestHarness harness =
        harness(
            context -> {
              if (context.storage().get(session).isEmpty()) {
                context.storage().set(session, "started at " + context.self().id());
              }
            },
            session);

    harness.invoke(SELF, TypedValue.of(1));
    harness.advanceTime(Duration.ofMinutes(9));
    // reading does not extend an after-write expiration
    harness.invoke(SELF, TypedValue.of(1));
    assertThat(harness.state(SELF, session)).isPresent();

    harness.advanceTime(Duration.ofMinutes(1));
    assertThat(harness.state(SELF, session)).isEmpty();
  }

  @Test
  void afterWriteExpirationRestartsOnEveryWrite() {
    ValueSpec<Integer> count = COUNT.thatExpiresAfterWrite(Duration.ofMinutes(10));
    FunctionTestHarness harness = counter(count);

    harness.invoke(SELF, TypedValue.of(1));
    harness.advanceTime(Duration.ofMinutes(9));
    harness.invoke(SELF, TypedValue.of(1));
    harness.advanceTime(Duration.ofMinutes(9));

    assertThat(harness.state(SELF, count)).contains(2);

    harness.advanceTime(Duration.ofMinutes(1));
    assertThat(harness.state(SELF, count)).isEmpty();
  }

  @Test
  void afterInvokeExpirationIsRefreshedByInvocationsThatOnlyRead() {
    ValueSpec<String> name = NAME.thatExpiresAfterInvoke(Duration.ofMinutes(10));
    FunctionTestHarness harness = harness(context -> {}, name);
    harness.setState(SELF, name, "Seth");

    harness.advanceTime(Duration.ofMinutes(9));
    harness.invoke(SELF, TypedValue.of(1));
    harness.advanceTime(Duration.ofMinutes(9));
    harness.invoke(SELF, TypedValue.of(1));
    harness.advanceTime(Duration.ofMinutes(9));

    assertThat(harness.state(SELF, name)).contains("Seth");

    harness.advanceTime(Duration.ofMinutes(1));
    assertThat(harness.state(SELF, name)).isEmpty();
  }

  @Test
  void afterInvokeExpirationIsPerAddress() {
    ValueSpec<String> name = NAME.thatExpiresAfterInvoke(Duration.ofMinutes(10));
    Address other = Address.of("test/fn", "other");
    FunctionTestHarness harness = harness(context -> {}, name);
    harness.setState(SELF, name, "mine");
    harness.setState(other, name, "theirs");

    harness.advanceTime(Duration.ofMinutes(9));
    harness.invoke(SELF, TypedValue.of(1));
    harness.advanceTime(Duration.ofMinutes(1));

    assertThat(harness.state(SELF, name)).contains("mine");
    assertThat(harness.state(other, name)).isEmpty();
  }

  @Test
  void anInvocationDoesNotReviveAnExpiredValue() {
    ValueSpec<String> name = NAME.thatExpiresAfterInvoke(Duration.ofMinutes(10));
    List<Optional<String>> seen = new ArrayList<>();
    FunctionTestHarness harness = harness(context -> seen.add(context.storage().get(name)), name);
    harness.setState(SELF, name, "Seth");

    harness.advanceTime(Duration.ofMinutes(10));
    harness.invoke(SELF, TypedValue.of(1));

    assertThat(seen).containsExactly(Optional.empty());
    assertThat(harness.state(SELF, name)).isEmpty();
  }

  @Test
  void afterInvokeExpirationCountsFromALaterWrite() {
    ValueSpec<String> name = NAME.thatExpiresAfterInvoke(Duration.ofMinutes(10));
    FunctionTestHarness harness = harness(context -> {}, name);

    harness.invoke(SELF, TypedValue.of(1));
    harness.advanceTime(Duration.ofMinutes(5));
    harness.setState(SELF, name, "Seth");
    harness.advanceTime(Duration.ofMinutes(9));

    assertThat(harness.state(SELF, name)).contains("Seth");
  }

  @Test
  void expiredStateCanBeSetAgain() {
    ValueSpec<Integer> count = COUNT.thatExpiresAfterWrite(Duration.ofSeconds(1));
    FunctionTestHarness harness = counter(count);

    harness.invoke(SELF, TypedValue.of(1));
    harness.invoke(SELF, TypedValue.of(1));
    harness.advanceTime(Duration.ofSeconds(1));
    harness.invoke(SELF, TypedValue.of(1));

    assertThat(harness.state(SELF, count)).contains(1);
  }

  @Test
  void stateWrittenByADeliveredMessageIsScopedToItsTarget() {
    Address target = Address.of("test/fn", "target");
    FunctionTestHarness harness =
        harness(
            context -> {
              if (context.caller().isEmpty()) {
                context.send(target, TypedValue.of("hi"));
              } else {
                context.storage().set(NAME, "from " + context.caller().get().id());
                context.sendEgress(EGRESS, TypedValue.of(context.self().id()));
              }
            },
            NAME);

    harness.invoke(SELF, TypedValue.of(1));
    harness.deliverSent();

    assertThat(harness.state(target, NAME)).contains("from me");
    assertThat(harness.state(SELF, NAME)).isEmpty();
  }
}
