package io.stateweave.flink.module;

import io.stateweave.sdk.TypeName;

/** {@code io.stateweave.egress.v1/stdout}: prints every record on the TaskManager's stdout. */
public record StdoutEgressSpec(TypeName id) implements EgressSpec {
  public static final TypeName KIND = TypeName.parse("io.stateweave.egress.v1/stdout");
}
