package io.stateweave.sdk.testing;

import io.stateweave.sdk.Address;
import io.stateweave.sdk.TypedValue;
import java.util.Objects;

/**
 * A message a function sent to another function (or to itself), as recorded by {@link
 * FunctionTestHarness}. The caller is the sending address, which the target sees as {@code
 * context.caller()}.
 */
public final class SentMessage {
  private final Address target;
  private final Address caller;
  private final TypedValue value;

  public SentMessage(Address target, Address caller, TypedValue value) {
    this.target = Objects.requireNonNull(target, "target");
    this.caller = Objects.requireNonNull(caller, "caller");
    this.value = Objects.requireNonNull(value, "value");
  }

  public Address target() {
    return target;
  }

  public Address caller() {
    return caller;
  }

  public TypedValue value() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SentMessage)) {
      return false;
    }
    SentMessage other = (SentMessage) o;
    return target.equals(other.target) && caller.equals(other.caller) && value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(target, caller, value);
  }

  @Override
  public String toString() {
    return "SentMessage{" + caller + " -> " + target + ", " + value + "}";
  }
}
