package io.stateweave.flink.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.entity.StateKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The entities kept across epochs: read from the state once, written back once per flush, evicted
 * least recently used first, and the state up to date before every scan.
 */
class EntityCacheTest {
  private static final TypeName TYPE = TypeName.parse("test/cell");
  private static final StateKey X = new StateKey(TYPE, "x");
  private static final StateKey Y = new StateKey(TYPE, "y");
  private static final StateKey Z = new StateKey(TYPE, "z");
  // what one entry of a one-character key and a one-byte value weighs
  private static final long ONE = EntityCache.weight(X, Optional.of(new byte[1]));

  private final RecordingStore state = new RecordingStore();

  @Test
  void anEntityIsReadFromTheStateOnceAlsoWhenItHasNoState() {
    state.state.put(X, new byte[] {1});
    EntityCache cache = new EntityCache(state, 10 * ONE);

    assertThat(cache.read(X)).contains(new byte[] {1});
    assertThat(cache.read(X)).contains(new byte[] {1});
    assertThat(cache.read(Y)).isEmpty();
    assertThat(cache.read(Y)).isEmpty();

    assertThat(state.reads).containsExactly(X, Y);
  }

  @Test
  void writesReachTheStateAtTheFlushOnceEachWithTheirLastValue() {
    state.state.put(Y, new byte[] {2});
    EntityCache cache = new EntityCache(state, 10 * ONE);
    cache.read(Z);

    cache.write(Map.of(X, Optional.of(new byte[] {1}), Y, Optional.of(new byte[] {3})));
    cache.write(Map.of(X, Optional.of(new byte[] {4}), Y, Optional.empty()));
    assertThat(cache.read(X)).contains(new byte[] {4});
    assertThat(cache.read(Y)).isEmpty();
    assertThat(state.writes).isEmpty();

    cache.flush();
    assertThat(state.writes).containsExactlyInAnyOrder(X, Y);
    assertThat(state.state).containsOnlyKeys(X);
    assertThat(state.state.get(X)).containsExactly(4);

    cache.flush();
    cache.write(Map.of(Z, Optional.of(new byte[] {5})));
    cache.flush();
    assertThat(state.writes).containsExactlyInAnyOrder(X, Y, Z);
    assertThat(state.reads).containsExactly(Z);
  }

  @Test
  void theLeastRecentlyUsedGoesFirstAndOnlyAWrittenOneIsWrittenBack() {
    EntityCache cache = new EntityCache(state, 2 * ONE);
    cache.write(Map.of(X, Optional.of(new byte[] {1})));
    cache.write(Map.of(Y, Optional.of(new byte[] {2})));
    cache.read(X);

    // Y is the least recently used: written back and dropped
    cache.read(Z);
    assertThat(state.writes).containsExactly(Y);
    assertThat(state.state.get(Y)).containsExactly(2);

    // X next, then Z, which was only read: not written
    cache.write(Map.of(Y, Optional.of(new byte[] {3})));
    cache.read(new StateKey(TYPE, "w"));
    assertThat(state.writes).containsExactly(Y, X);
    assertThat(cache.read(X)).contains(new byte[] {1});
    assertThat(state.reads).containsExactly(Z, new StateKey(TYPE, "w"), X);
  }

  @Test
  void withoutCapacityEveryWriteGoesThroughAndEveryReadToTheState() {
    EntityCache cache = new EntityCache(state, 0);

    cache.write(Map.of(X, Optional.of(new byte[] {1})));
    assertThat(state.state.get(X)).containsExactly(1);
    cache.read(X);
    cache.read(X);

    assertThat(state.reads).containsExactly(X, X);
  }

  @Test
  void aScanSeesEveryWriteKeptHereIncludingRemovals() {
    state.state.put(X, new byte[] {1});
    state.state.put(Y, new byte[] {2});
    EntityCache cache = new EntityCache(state, 10 * ONE);
    Map<StateKey, Optional<byte[]>> writes = new LinkedHashMap<>();
    writes.put(X, Optional.empty());
    writes.put(Z, Optional.of(new byte[] {3}));
    cache.write(writes);

    assertThat(cache.scan(TYPE)).containsOnlyKeys("y", "z");
    assertThat(state.scans).containsExactly(TYPE);
  }

  @Test
  void aNegativeCapacityIsRefused() {
    assertThatThrownBy(() -> new EntityCache(state, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("An entity cache's capacity must not be negative, got -1");
  }
}
