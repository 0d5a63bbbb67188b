package io.stateweave.flink.dispatcher;

import io.stateweave.flink.message.TypedValueSerializer;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import org.apache.flink.util.OutputTag;

/** The side output that carries an egress's records out of the dispatcher. */
public final class EgressTags {
  private EgressTags() {}

  public static OutputTag<TypedValue> of(TypeName egress) {
    return new OutputTag<>("egress:" + egress.canonical(), TypedValueSerializer.TYPE_INFO);
  }
}
