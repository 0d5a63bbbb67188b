package io.stateweave.flink.transaction;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.entity.StateKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The executor's store in a map, recording every call the executor makes to it. */
final class RecordingStore implements EpochExecutor.Store {
  final Map<StateKey, byte[]> state = new HashMap<>();
  final List<StateKey> reads = new ArrayList<>();
  final List<StateKey> writes = new ArrayList<>();
  final List<TypeName> scans = new ArrayList<>();

  @Override
  public Optional<byte[]> read(StateKey key) {
    reads.add(key);
    return Optional.ofNullable(state.get(key));
  }

  @Override
  public Map<String, byte[]> scan(TypeName entityType) {
    scans.add(entityType);
    Map<String, byte[]> entities = new HashMap<>();
    state.forEach(
        (key, bytes) -> {
          if (key.entityType().equals(entityType)) {
            entities.put(key.key(), bytes);
          }
        });
    return entities;
  }

  @Override
  public void write(Map<StateKey, Optional<byte[]>> values) {
    values.forEach(
        (key, value) -> {
          writes.add(key);
          if (value.isPresent()) {
            state.put(key, value.get());
          } else {
            state.remove(key);
          }
        });
  }
}
