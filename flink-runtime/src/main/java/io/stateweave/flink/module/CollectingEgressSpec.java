package io.stateweave.flink.module;

import io.stateweave.sdk.TypeName;

/**
 * {@code io.stateweave.egress.v1/collecting}: keeps the records of completed checkpoints in memory
 * of the JVM (exactly once), for tests on a MiniCluster.
 */
public record CollectingEgressSpec(TypeName id) implements EgressSpec {
  public static final TypeName KIND = TypeName.parse("io.stateweave.egress.v1/collecting");
}
