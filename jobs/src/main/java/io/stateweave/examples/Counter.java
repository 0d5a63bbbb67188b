package io.stateweave.examples;

import io.stateweave.sdk.Context;
import io.stateweave.sdk.Message;
import io.stateweave.sdk.StatefulFunction;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.ValueSpec;

/**
 * Counts the messages of each address ({@code example/counter}) and reports every new count as
 * {@code "<id> <count>"} on {@code example/counts}: with exactly-once, each id's reports are 1, 2,
 * 3, … without gap or repeat, which is what the end-to-end tests check.
 */
public final class Counter implements StatefulFunction {
  public static final TypeName TYPE = TypeName.parse("example/counter");
  public static final TypeName COUNTS = TypeName.parse("example/counts");
  static final ValueSpec<Long> COUNT = ValueSpec.named("count").withLongType();

  @Override
  public void invoke(Context context, Message message) {
    long count = context.storage().get(COUNT).orElse(0L) + 1;
    context.storage().set(COUNT, count);
    context.sendEgress(COUNTS, TypedValue.of(context.self().id() + " " + count));
  }
}
