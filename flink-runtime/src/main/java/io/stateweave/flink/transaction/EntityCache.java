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
  private final EpochExecutor.Store state;
  /**
   * What an entry costs beside its key's characters and its value's bytes, about: the map's entry,
   * the state key, the key's string, the optional, the array's header and the entry itself.
   */
  static final int ENTRY_OVERHEAD_BYTES = 200;

  private final long capacityBytes;
  // in access order, the least recently used first
  private final LinkedHashMap<StateKey, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;
  private int dirty;

  private static final class Entry {
    // empty: the entity has no state
    Optional<byte[]> value;
    // written here since it was last in the state
    boolean dirty;

    Entry(Optional<byte[]> value, boolean dirty) {
      this.value = value;
      this.dirty = dirty;
    }
  }

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
    Entry entry = entries.get(key);
    if (entry != null) {
      return entry.value;
    }
    Optional<byte[]> value = state.read(key);
    entries.put(key, new Entry(value, false));
    bytes += weight(key, value);
    evictBeyondCapacity();
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
    values.forEach(
        (key, value) -> {
          Entry entry = entries.get(key);
          if (entry == null) {
            entries.put(key, new Entry(value, true));
            bytes += weight(key, value);
            dirty++;
          } else {
            bytes += length(value) - length(entry.value);
            entry.value = value;
            if (!entry.dirty) {
              entry.dirty = true;
              dirty++;
            }
          }
        });
    evictBeyondCapacity();
  }

  /** Writes every entity written here since it was last in the state to the state. */
  void flush() {
    if (dirty == 0) {
      return;
    }
    Map<StateKey, Optional<byte[]>> written = new HashMap<>(dirty * 2);
    for (Map.Entry<StateKey, Entry> each : entries.entrySet()) {
      Entry entry = each.getValue();
      if (entry.dirty) {
        written.put(each.getKey(), entry.value);
        entry.dirty = false;
      }
    }
    dirty = 0;
    state.write(written);
  }

  /** Drops the least recently used entities beyond the capacity, writing back those written. */
  private void evictBeyondCapacity() {
    if (bytes <= capacityBytes) {
      return;
    }
    Map<StateKey, Optional<byte[]>> evicted = new HashMap<>();
    Iterator<Map.Entry<StateKey, Entry>> eldest = entries.entrySet().iterator();
    while (bytes > capacityBytes) {
      Map.Entry<StateKey, Entry> each = eldest.next();
      Entry entry = each.getValue();
      if (entry.dirty) {
        evicted.put(each.getKey(), entry.value);
        dirty--;
      }
      bytes -= weight(each.getKey(), entry.value);
      eldest.remove();
    }
    if (!evicted.isEmpty()) {
      state.write(evicted);
    }
  }

  /** About the heap an entry takes. */
  static long weight(StateKey key, Optional<byte[]> value) {
    return ENTRY_OVERHEAD_BYTES + 2L * key.key().length() + length(value);
  }

  private static int length(Optional<byte[]> value) {
    return value.isPresent() ? value.get().length : 0;
  }
}
