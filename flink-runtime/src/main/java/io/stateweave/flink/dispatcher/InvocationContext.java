package io.stateweave.flink.dispatcher;

import io.stateweave.flink.message.Envelope;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.AddressScopedStorage;
import io.stateweave.sdk.Context;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.ValueSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;

/**
 * The context of one invocation, reused for all of them on the task thread: what a function does
 * goes straight to the dispatcher's effects.
 */
final class InvocationContext implements Context, AddressScopedStorage {

  /** Where the effects of an invocation go. */
  interface Effects {
    void send(Envelope envelope);

    void sendAfter(Duration delay, Envelope envelope, String cancellationToken);

    void cancelDelayed(Address sender, String cancellationToken);

    void egress(Address sender, TypeName egress, TypedValue record);
  }

  private final Effects effects;
  private final FunctionStates states;
  private Envelope invoked;

  InvocationContext(Effects effects, FunctionStates states) {
    this.effects = effects;
    this.states = states;
  }

  void prepare(Envelope envelope) {
    this.invoked = envelope;
  }

  @Override
  public Address self() {
    return invoked.target();
  }

  @Override
  public Optional<Address> caller() {
    return Optional.ofNullable(invoked.caller());
  }

  @Override
  public void send(Address target, TypedValue message) {
    effects.send(new Envelope(nonNull(target, "target"), self(), nonNull(message, "message")));
  }

  @Override
  public void sendAfter(Duration delay, Address target, TypedValue message) {
    sendDelayed(delay, null, target, message);
  }

  @Override
  public void sendAfter(
      Duration delay, String cancellationToken, Address target, TypedValue message) {
    sendDelayed(delay, token(cancellationToken), target, message);
  }

  private static String token(String cancellationToken) {
    if (nonNull(cancellationToken, "cancellationToken").isEmpty()) {
      throw new IllegalArgumentException("A cancellation token must not be empty");
    }
    return cancellationToken;
  }

  private void sendDelayed(Duration delay, String token, Address target, TypedValue message) {
    nonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException(
          "Function " + invoked.targetType() + " sent a message with a negative delay " + delay);
    }
    effects.sendAfter(
        delay, new Envelope(nonNull(target, "target"), self(), nonNull(message, "message")), token);
  }

  @Override
  public void cancelDelayedMessage(String cancellationToken) {
    effects.cancelDelayed(self(), token(cancellationToken));
  }

  @Override
  public void sendEgress(TypeName egress, TypedValue record) {
    effects.egress(self(), nonNull(egress, "egress"), nonNull(record, "record"));
  }

  @Override
  public AddressScopedStorage storage() {
    return this;
  }

  @Override
  public <T> Optional<T> get(ValueSpec<T> spec) {
    try {
      return Optional.ofNullable(state(spec).value());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public <T> void set(ValueSpec<T> spec, T value) {
    if (value == null) {
      throw new NullPointerException(
          "state '" + nonNull(spec, "spec").name() + "' cannot be set to null; use remove");
    }
    try {
      state(spec).update(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void remove(ValueSpec<?> spec) {
    state(spec).clear();
  }

  private <T> FunctionState<T> state(ValueSpec<T> spec) {
    return states.state(invoked.targetType(), nonNull(spec, "spec"));
  }

  /** As Objects.requireNonNull with a message supplier, without allocating the supplier. */
  private static <T> T nonNull(T value, String what) {
    if (value == null) {
      throw new NullPointerException(what + " must not be null");
    }
    return value;
  }
}
