package io.stateweave.flink.egress;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What the collecting egresses committed, per egress id, for tests on a MiniCluster (which runs the
 * job in the test's JVM and class loader). A record is here once its checkpoint completed, and only
 * once, also when Flink commits its batch again after a recovery.
 */
public final class CollectedEgress {
  private static final Map<TypeName, List<TypedValue>> RECORDS = new HashMap<>();
  private static final Set<UUID> PUBLISHED = new HashSet<>();

  private CollectedEgress() {}

  /** The committed records of an egress in commit order; a copy. */
  public static synchronized List<TypedValue> records(TypeName egress) {
    return List.copyOf(RECORDS.getOrDefault(egress, List.of()));
  }

  /** How many records of an egress were committed. */
  public static synchronized int size(TypeName egress) {
    return RECORDS.getOrDefault(egress, List.of()).size();
  }

  /** Forgets every egress's records; call between tests. */
  public static synchronized void clear() {
    RECORDS.clear();
    PUBLISHED.clear();
  }

  /** Adds the batch's records unless it was published before; tells whether it was added. */
  static synchronized boolean publish(TypeName egress, CollectedBatch batch) {
    if (!PUBLISHED.add(batch.id())) {
      return false;
    }
    RECORDS.computeIfAbsent(egress, id -> new ArrayList<>()).addAll(batch.records());
    return true;
  }
}
