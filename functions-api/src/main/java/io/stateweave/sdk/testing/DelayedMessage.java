package io.stateweave.sdk.testing;

import io.stateweave.sdk.Address;
import io.stateweave.sdk.TypedValue;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A message sent with {@code sendAfter} that is not due yet on the {@link FunctionTestHarness}
 * clock. When it becomes due it arrives with its sender as the caller.
 */
public final class DelayedMessage {
  private final Address target;
  private final Address sender;
  private final TypedValue value;
  private final Duration delay;
  private final Instant dueAt;
  private final String cancellationToken;

  public DelayedMessage(
      Address target,
      Address sender,
      TypedValue value,
      Duration delay,
      Instant dueAt,
      String cancellationToken) {
    this.target = Objects.requireNonNull(target, "target");
    this.sender = Objects.requireNonNull(sender, "sender");
    this.value = Objects.requireNonNull(value, "value");
    this.delay = Objects.requireNonNull(delay, "delay");
    this.dueAt = Objects.requireNonNull(dueAt, "dueAt");
    this.cancellationToken = cancellationToken;
  }

  public Address target() {
    return target;
  }

  public Address sender() {
    return sender;
  }

  public TypedValue value() {
    return value;
  }

  /** The delay the sender asked for. */
  public Duration delay() {
    return delay;
  }

  /** When the message arrives, on the harness clock. */
  public Instant dueAt() {
    return dueAt;
  }

  /** The token it can be cancelled with, if it was sent with one. */
  public Optional<String> cancellationToken() {
    return Optional.ofNullable(cancellationToken);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof DelayedMessage)) {
      return false;
    }
    DelayedMessage other = (DelayedMessage) o;
    return target.equals(other.target)
        && sender.equals(other.sender)
        && value.equals(other.value)
        && delay.equals(other.delay)
        && dueAt.equals(other.dueAt)
        && Objects.equals(cancellationToken, other.cancellationToken);
  }

  @Override
  public int hashCode() {
    return Objects.hash(target, sender, value, delay, dueAt, cancellationToken);
  }

  @Override
  public String toString() {
    return "DelayedMessage{"
        + sender
        + " -> "
        + target
        + ", "
        + value
        + ", due at "
        + dueAt
        + (cancellationToken == null ? "" : ", token '" + cancellationToken + "'")
        + "}";
  }
}
