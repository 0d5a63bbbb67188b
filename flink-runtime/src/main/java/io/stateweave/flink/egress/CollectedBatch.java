package io.stateweave.flink.egress;

import io.stateweave.sdk.TypedValue;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The records a collecting writer received between two checkpoints. The id makes publishing
 * idempotent: after a recovery Flink may commit the same batch again.
 */
record CollectedBatch(UUID id, List<TypedValue> records) {
  CollectedBatch {
    Objects.requireNonNull(id, "id");
    records = List.copyOf(records);
  }
}
