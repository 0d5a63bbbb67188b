package io.stateweave.flink.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.entity.StateKey;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An epoch's view of the store: its two phases' states, one read and one write per key. */
class EpochCacheTest {
  private static final TypeName TYPE = TypeName.parse("test/cell");
  private static final StateKey X = new StateKey(TYPE, "x");
  private static final StateKey Y = new StateKey(TYPE, "y");

  private final RecordingStore store = new RecordingStore();
  private final Map<StateKey, byte[]> state = store.state;
  private final EpochCache cache = new EpochCache(store);

  @Test
  void theStartViewIgnoresCommitsAndTheCommittedViewShowsTheLatest() {
    state.put(X, new byte[] {1});

    cache.commit(X, Optional.of(new byte[] {2}));
    cache.commit(X, Optional.of(new byte[] {3}));
    cache.commit(Y, Optional.of(new byte[] {4}));

    assertThat(cache.atStart(X)).contains(new byte[] {1});
    assertThat(cache.atStart(Y)).isEmpty();
    assertThat(cache.committed(X)).contains(new byte[] {3});
    assertThat(cache.committed(Y)).contains(new byte[] {4});
  }

  @Test
  void aClearCommittedHidesTheStartValueFromTheCommittedView() {
    state.put(X, new byte[] {1});

    cache.commit(X, Optional.empty());

    assertThat(cache.committed(X)).isEmpty();
    assertThat(cache.atStart(X)).contains(new byte[] {1});
  }

  @Test
  void eachKeyIsReadFromTheStoreOnceAndOnlyItsLastCommitIsWrittenAtTheEnd() {
    state.put(X, new byte[] {1});

    cache.atStart(X);
    cache.atStart(X);
    cache.atStart(Y);
    cache.commit(X, Optional.of(new byte[] {2}));
    cache.committed(X);
    cache.committed(Y);
    cache.commit(X, Optional.of(new byte[] {3}));
    cache.commit(Y, Optional.of(new byte[] {5}));
    cache.commit(Y, Optional.empty());
    assertThat(store.writes).isEmpty();
    cache.flush();

    assertThat(store.reads).containsExactly(X, Y);
    assertThat(store.writes).containsExactlyInAnyOrder(X, Y);
    assertThat(state).containsOnlyKeys(X);
    assertThat(state.get(X)).containsExactly(3);
  }

  @Test
  void aScanAtTheStartIgnoresCommitsAndACommittedScanShowsThemAndTheirClears() {
    StateKey z = new StateKey(TYPE, "z");
    StateKey other = new StateKey(TypeName.parse("test/other"), "x");
    state.put(X, new byte[] {1});
    state.put(Y, new byte[] {2});
    state.put(other, new byte[] {9});

    cache.commit(X, Optional.empty());
    cache.commit(z, Optional.of(new byte[] {3}));

    assertThat(cache.scanAtStart(TYPE)).containsOnlyKeys("x", "y");
    assertThat(cache.committedScan(TYPE)).containsOnlyKeys("y", "z");
    assertThat(cache.committedScan(TYPE).get("z")).containsExactly(3);
    assertThat(store.scans).containsExactly(TYPE);
  }
}
