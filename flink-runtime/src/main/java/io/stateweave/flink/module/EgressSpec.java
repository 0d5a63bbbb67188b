package io.stateweave.flink.module;

import io.stateweave.sdk.TypeName;
import java.io.Serializable;

/** An egress: where records that functions send with {@code sendEgress(id, ...)} go. */
public interface EgressSpec extends Serializable {
  TypeName id();
}
