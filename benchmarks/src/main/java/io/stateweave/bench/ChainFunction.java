package io.stateweave.bench;

import io.stateweave.sdk.Address;
import io.stateweave.sdk.Context;
import io.stateweave.sdk.Message;
import io.stateweave.sdk.StatefulFunction;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.ValueSpec;
import java.nio.ByteBuffer;

/**
 * chain: each message is one step of a chain of {@value #HOPS} hops; every invocation updates a
 * per-address counter and sends the chain on to a pseudo-random address, which with probability
 * {@value #CROSS} belongs to the other subtask. The last invocation records the chain's latency.
 * The payload: start time (System.nanoTime at the source), hop number, random state.
 */
public final class ChainFunction implements StatefulFunction {
  public static final TypeName TYPE = TypeName.parse("bench/chain");
  public static final TypeName PAYLOAD = TypeName.parse("bench.types/chain-step");
  public static final int HOPS = 10;

  /** Share of hops that go to an address of the other subtask. */
  public static final double CROSS = 0.8;

  static final ValueSpec<Integer> SEEN = ValueSpec.named("seen").withIntType();
  private static final long CROSS_THRESHOLD = (long) (CROSS * (1L << 20));

  @Override
  public void invoke(Context context, Message message) {
    ByteBuffer step = ByteBuffer.wrap(message.typedValue().bytes());
    long start = step.getLong(0);
    int hop = step.getInt(8);
    long random = step.getLong(12);

    int seen = context.storage().get(SEEN).orElse(0);
    context.storage().set(SEEN, seen + 1);
    Probe.invoked();

    if (hop == HOPS) {
      Probe.chainLatency(start);
      return;
    }
    long next = Addresses.mix(random);
    int self = Addresses.owner(context.self().id());
    boolean cross = (next & ((1L << 20) - 1)) < CROSS_THRESHOLD;
    int owner = cross ? (self + 1) % Addresses.PARALLELISM : self;
    String target = Addresses.ofOwner(owner, next >>> 20);
    context.send(new Address(TYPE, target), step(start, hop + 1, next));
  }

  public static TypedValue step(long startNanos, int hop, long random) {
    byte[] bytes = new byte[20];
    ByteBuffer.wrap(bytes).putLong(0, startNanos).putInt(8, hop).putLong(12, random);
    return TypedValue.ofBytes(PAYLOAD, bytes);
  }
}
