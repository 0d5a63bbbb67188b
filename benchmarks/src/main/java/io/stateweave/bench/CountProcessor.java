package io.stateweave.bench;

import io.stateweave.sdk.processor.KVStore;
import io.stateweave.sdk.processor.Processor;
import io.stateweave.sdk.processor.ProcessorContext;
import java.util.Optional;

/** processor: the count per key, in a KV store, as CountFunction counts in function state. */
public final class CountProcessor implements Processor {
  private static final byte[] COUNT = {'c'};

  @Override
  public void process(ProcessorContext ctx, int sourceId, byte[] data) {
    KVStore store = ctx.getOrCreateKVStore("counts");
    Optional<byte[]> stored = store.get(COUNT);
    int count = (stored.isPresent() ? readInt(stored.get()) : 0) + data[0];
    // a new array each time: the store keeps the one it is given
    store.put(
        COUNT,
        new byte[] {(byte) (count >>> 24), (byte) (count >>> 16), (byte) (count >>> 8), (byte) count});
    Probe.invoked();
  }

  private static int readInt(byte[] b) {
    return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
  }
}
