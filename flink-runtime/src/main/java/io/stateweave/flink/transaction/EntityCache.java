package io.stateweave.flink.transaction;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.entity.StateKey;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The entities the executor used last, kept across epochs in front of its keyed state and written
 * back to it only when evicted, before a scan and before each checkpoint ({@link #flush}). On
 * RocksDB every state access costs a native call and a serialization, and the epochs touch the
 * same entities over and over; a write-back lets one put stand for every write of an entity
 * between two checkpoints. Nothing here outlives a failure that the state would need: a
 * checkpoint's state holds every write that came before its barrier.
 */
final class EntityCache implements EpochExecutor.Store {
  /**
   * What an entry costs beside its key's characters and its value's bytes, about: the map's entry,
   * the state key, the key's string, the optional and the array's header.
   */
  static final int ENTRY_OVERHEAD_BYTES = 200;

  private final EpochExecutor.Store state;
  private final long capacityBytes;
  // in access order, the least recently used first; an empty value: the entity has no state
  private final LinkedHashMap<StateKey, Optional<byte[]>> entries =
      new LinkedHashMap<>(16, 0.75f, true);
  // the entries written here since they were last in the state
  private Map<StateKey, Optional<byte[]>> dirty = new HashMap<>();
  private long bytes;

  /**
   * {@code capacityBytes}: about how much heap the kept entities may take; 0 keeps none and
   * writes every epoch's writes through.
   */
  EntityCache(EpochExecutor.Store state, long capacityBytes) {
    this.state = Objects.requireNonNull(state, "state");
    if (capacityBytes < 0) {
      throw new IllegalArgumentException(
          "An entity cache's capacity must not be negative, got " + capacityBytes);
    }
    this.capacityBytes = capacityBytes;
  }

  @Override
  public Optional<byte[]> read(StateKey key) {
    Optional<byte[]> value = entries.get(key);
    if (value == null) {
      value = state.read(key);
      keep(key, value);
      evictBeyondCapacity();
    }
    return value;
  }

  /** The state's scan, after every write kept here went to the state. */
  @Override
  public Map<String, byte[]> scan(TypeName entityType) {
    flush();
    return state.scan(entityType);
  }

  @Override
  public void write(Map<StateKey, Optional<byte[]>> values) {
    values.forEach(this::keep);
    dirty.putAll(values);
    evictBeyondCapacity();
  }

  /** Writes every entity written here since it was last in the state to the state. */
  void flush() {
    if (dirty.isEmpty()) {
      return;
    }
    Map<StateKey, Optional<byte[]>> written = dirty;
    dirty = new HashMap<>();
    state.write(written);
  }

  private void keep(StateKey key, Optional<byte[]> value) {
    Optional<byte[]> replaced = entries.put(key, value);
    bytes += weight(key, value) - (replaced == null ? 0 : weight(key, replaced));
  }

  /** Drops the least recently used entities beyond the capacity, writing back those written. */
  private void evictBeyondCapacity() {
    if (bytes <= capacityBytes) {
      return;
    }
    Map<StateKey, Optional<byte[]>> evicted = new HashMap<>();
    Iterator<Map.Entry<StateKey, Optional<byte[]>>> eldest = entries.entrySet().iterator();
    while (bytes > capacityBytes) {
      Map.Entry<StateKey, Optional<byte[]>> entry = eldest.next();
      if (dirty.remove(entry.getKey()) != null) {
        evicted.put(entry.getKey(), entry.getValue());
      }
      bytes -= weight(entry.getKey(), entry.getValue());
      eldest.remove();
    }
    if (!evicted.isEmpty()) {
      state.write(evicted);
    }
  }

  /** About the heap an entry takes. */
  static long weight(StateKey key, Optional<byte[]> value) {
    int valueBytes = value.isPresent() ? value.get().length : 0;
    return ENTRY_OVERHEAD_BYTES + 2L * key.key().length() + valueBytes;
  }
}
