package io.stateweave.flink.transaction;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.entity.StateKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One epoch's view of the committed state: reads each key from the store at most once and writes
 * each key at most once, its last committed value, when the epoch ends. A state call costs a
 * native call and serialization on RocksDB, and the epoch's transactions touch the same keys
 * many times over. Holds bytes, never deserialized values: functions may change what they read.
 */
final class EpochCache {
  private final EpochExecutor.Store store;
  // the committed bytes at the epoch's start of every key read so far; empty when it had none
  private final Map<StateKey, Optional<byte[]>> atStart = new HashMap<>();
  // every entity with state at the epoch's start of each entity type scanned so far
  private final Map<TypeName, Map<String, byte[]>> scannedAtStart = new HashMap<>();
  // the epoch's committed writes, in the store only when the epoch ends
  private final Map<StateKey, Optional<byte[]>> written = new HashMap<>();

  EpochCache(EpochExecutor.Store store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /** The key's state when the epoch began: what the batch phase runs against. */
  Optional<byte[]> atStart(StateKey key) {
    Optional<byte[]> bytes = atStart.get(key);
    if (bytes == null) {
      // nothing of this epoch is in the store yet, so the store still holds the epoch's start
      bytes = store.read(key);
      atStart.put(key, bytes);
    }
    return bytes;
  }

  /** The key's state with this epoch's commits so far: what the fallback phase runs against. */
  Optional<byte[]> committed(StateKey key) {
    Optional<byte[]> bytes = written.get(key);
    return bytes != null ? bytes : atStart(key);
  }

  /** Every entity of the type with state when the epoch began, by key; not to be changed. */
  Map<String, byte[]> scanAtStart(TypeName entityType) {
    // as for atStart: the store holds the epoch's start until flush
    return scannedAtStart.computeIfAbsent(entityType, store::scan);
  }

  /** Every entity of the type with state, by key, with this epoch's commits so far; a new map. */
  Map<String, byte[]> committedScan(TypeName entityType) {
    Map<String, byte[]> entities = new HashMap<>(scanAtStart(entityType));
    written.forEach(
        (key, bytes) -> {
          if (key.entityType().equals(entityType)) {
            if (bytes.isPresent()) {
              entities.put(key.key(), bytes.get());
            } else {
              entities.remove(key.key());
            }
          }
        });
    return entities;
  }

  /** Commits a write; empty removes the entity's state. */
  void commit(StateKey key, Optional<byte[]> value) {
    written.put(key, Objects.requireNonNull(value, "value"));
  }

  /** Writes each key committed in the epoch to the store, once: the epoch's end. */
  void flush() {
    store.write(written);
  }
}
