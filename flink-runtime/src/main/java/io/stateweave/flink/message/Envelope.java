package io.stateweave.flink.message;

import io.stateweave.sdk.Address;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import java.util.Objects;

/**
 * A message on its way to a function: the target, who sent it, and the typed payload.
 *
 * <p>The target is kept as its type and id; its {@link Address} is made when first asked for. On
 * the way from an ingress to a function that does not ask for its own address (most do not), no
 * address is made at all: one object fewer per message on each side of the shuffle.
 */
public final class Envelope {
  private final TypeName targetType;
  private final String targetId;
  private final Address caller;
  private final TypedValue payload;
  private Address target;

  public Envelope(Address target, Address caller, TypedValue payload) {
    this(Objects.requireNonNull(target, "target").type(), target.id(), caller, payload);
    this.target = target;
  }

  private Envelope(TypeName targetType, String targetId, Address caller, TypedValue payload) {
    this.targetType = Objects.requireNonNull(targetType, "target type");
    this.targetId = Objects.requireNonNull(targetId, "target id");
    this.caller = caller;
    this.payload = Objects.requireNonNull(payload, "payload");
  }

  /** A message for the function of {@code targetType} at {@code targetId}. */
  public static Envelope to(
      TypeName targetType, String targetId, Address caller, TypedValue payload) {
    return new Envelope(targetType, targetId, caller, payload);
  }

  public Address target() {
    Address address = target;
    if (address == null) {
      // racy on purpose: every thread that makes it makes an equal, immutable address
      address = new Address(targetType, targetId);
      target = address;
    }
    return address;
  }

  public TypeName targetType() {
    return targetType;
  }

  /** The target's address id: the Flink key of the message. */
  public String targetId() {
    return targetId;
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
    return targetType.equals(other.targetType)
        && targetId.equals(other.targetId)
        && Objects.equals(caller, other.caller)
        && payload.equals(other.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(targetType, targetId, caller, payload);
  }

  @Override
  public String toString() {
    return "Envelope{to "
        + targetType
        + "/"
        + targetId
        + ", from "
        + caller
        + ", "
        + payload.typeName()
        + "}";
  }
}
