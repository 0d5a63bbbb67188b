package io.stateweave.flink.api;

import io.stateweave.sdk.Address;
import io.stateweave.sdk.TypedValue;
import java.util.Objects;

/** A message from a program's stream to a function: its target address and its value. */
public record RoutableMessage(Address target, TypedValue message) {
  public RoutableMessage {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(message, "message");
  }
}
