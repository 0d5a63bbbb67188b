package io.stateweave.flink.message;

import io.stateweave.sdk.Address;
import io.stateweave.sdk.TypedValue;
import java.util.Objects;

/** A message on its way to a function: the target, who sent it, and the typed payload. */
public final class Envelope {
  private final Address target;
  private final Address caller;
  private final TypedValue payload;

  public Envelope(Address target, Address caller, TypedValue payload) {
    this.target = Objects.requireNonNull(target, "target");
    this.caller = caller;
    this.payload = Objects.requireNonNull(payload, "payload");
  }

  public Address target() {
    return target;
  }

  /** The sending function, or null for records from an ingress. */
  public Address caller() {
    return caller;
  }

  public TypedValue payload() {
    return payload;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Envelope)) {
      return false;
    }
    Envelope other = (Envelope) o;
    return target.equals(other.target)
        && Objects.equals(caller, other.caller)
        && payload.equals(other.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(target, caller, payload);
  }

  @Override
  public String toString() {
    return "Envelope{to " + target + ", from " + caller + ", " + payload.typeName() + "}";
  }
}
