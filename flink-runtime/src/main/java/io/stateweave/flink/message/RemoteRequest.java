package io.stateweave.flink.message;

import io.stateweave.sdk.Address;
import java.util.Arrays;
import java.util.Objects;

/**
 * A call of a remote function on its way from the dispatcher to the HTTP client: the address it is
 * for and the request-reply protocol's {@code ToFunction} bytes (the batch and the state).
 */
public final class RemoteRequest {
  private final Address target;
  private final byte[] toFunction;

  public RemoteRequest(Address target, byte[] toFunction) {
    this.target = Objects.requireNonNull(target, "target");
    this.toFunction = Objects.requireNonNull(toFunction, "toFunction");
  }

  public Address target() {
    return target;
  }

  /** The serialized {@code ToFunction}; not copied, never modified. */
  public byte[] toFunction() {
    return toFunction;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RemoteRequest)) {
      return false;
    }
    RemoteRequest other = (RemoteRequest) o;
    return target.equals(other.target) && Arrays.equals(toFunction, other.toFunction);
  }

  @Override
  public int hashCode() {
    return 31 * target.hashCode() + Arrays.hashCode(toFunction);
  }

  @Override
  public String toString() {
    return "RemoteRequest{to " + target + ", " + toFunction.length + " bytes}";
  }
}
