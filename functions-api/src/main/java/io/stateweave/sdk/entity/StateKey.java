package io.stateweave.sdk.entity;

import io.stateweave.sdk.TypeName;
import java.util.Objects;

/** One entity: its type and key, the unit of state, reservations and conflicts. */
public record StateKey(TypeName entityType, String key) {
  public StateKey {
    Objects.requireNonNull(entityType, "entityType");
    Objects.requireNonNull(key, "key");
  }

  @Override
  public String toString() {
    return entityType + ":" + key;
  }
}
