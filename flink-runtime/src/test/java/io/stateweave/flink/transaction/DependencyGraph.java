package io.stateweave.flink.transaction;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dependency graph of a history of committed transactions that each read and then overwrite
 * their keys with their own id, so that every value read names the transaction that wrote it (0:
 * never written). Edges: write-read (the writer of a read version, before its reader), and
 * read-write (a reader of a version, before the transaction that overwrote that version). The
 * history is serializable exactly when the graph has no cycle; it is built from what transactions
 * read, not from the order the system reports, so it checks that order's claim independently.
 */
final class DependencyGraph {
  /** One committed transaction: its id, and per key it read and wrote, the version it read. */
  record Committed(long id, Map<String, Long> readVersions) {}

  private final Map<Long, Set<Long>> edges = new HashMap<>();

  DependencyGraph(List<Committed> history) {
    // per key and version read, the transactions that read it (and, here, also overwrote it)
    Map<String, Map<Long, List<Long>>> overwritersOf = new HashMap<>();
    for (Committed t : history) {
      edges.computeIfAbsent(t.id(), id -> new HashSet<>());
      t.readVersions()
          .forEach(
              (key, version) -> {
                if (version != 0) {
                  edge(version, t.id()); // write-read
                }
                overwritersOf
                    .computeIfAbsent(key, k -> new HashMap<>())
                    .computeIfAbsent(version, v -> new ArrayList<>())
                    .add(t.id());
              });
    }
    // read-write: every reader of a version before every other transaction that overwrote it;
    // two transactions overwriting the same version (a lost update) are a cycle
    for (Map<Long, List<Long>> versions : overwritersOf.values()) {
      for (List<Long> readers : versions.values()) {
        for (long reader : readers) {
          for (long overwriter : readers) {
            if (reader != overwriter) {
              edge(reader, overwriter);
            }
          }
        }
      }
    }
  }

  private void edge(long from, long to) {
    edges.computeIfAbsent(from, id -> new HashSet<>()).add(to);
    edges.computeIfAbsent(to, id -> new HashSet<>());
  }

  /** The transactions on a cycle, or empty when the graph has none (Kahn's algorithm). */
  Set<Long> cyclic() {
    Map<Long, Integer> indegree = new HashMap<>();
    edges.keySet().forEach(node -> indegree.put(node, 0));
    edges.values().forEach(targets -> targets.forEach(t -> indegree.merge(t, 1, Integer::sum)));
    Deque<Long> ready = new ArrayDeque<>();
    indegree.forEach((node, degree) -> {
      if (degree == 0) {
        ready.add(node);
      }
    });
    while (!ready.isEmpty()) {
      long node = ready.poll();
      indegree.remove(node);
      for (long target : edges.get(node)) {
        if (indegree.merge(target, -1, Integer::sum) == 0) {
          ready.add(target);
        }
      }
    }
    return indegree.keySet();
  }
}
