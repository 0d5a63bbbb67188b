package io.stateweave.bench;

import io.stateweave.sdk.Context;
import io.stateweave.sdk.Message;
import io.stateweave.sdk.StatefulFunction;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.ValueSpec;

/** count: increments a per-address counter. */
public final class CountFunction implements StatefulFunction {
  public static final TypeName TYPE = TypeName.parse("bench/count");
  static final ValueSpec<Integer> COUNT = ValueSpec.named("count").withIntType();

  @Override
  public void invoke(Context context, Message message) {
    int count = context.storage().get(COUNT).orElse(0);
    context.storage().set(COUNT, count + message.asInt());
    Probe.invoked();
  }
}
