package io.stateweave.bench;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/** The benchmark's address ids, and which dispatcher subtask owns each. */
public final class Addresses {
  public static final int PARALLELISM = 2;
  public static final int MAX_PARALLELISM = 128;
  public static final int COUNT = 10_000;

  private static final String[] IDS = new String[COUNT];
  private static final int[] OWNER = new int[COUNT];
  private static final String[][] BY_OWNER = new String[PARALLELISM][];

  static {
    List<List<String>> byOwner = new ArrayList<>();
    for (int p = 0; p < PARALLELISM; p++) {
      byOwner.add(new ArrayList<>());
    }
    for (int i = 0; i < COUNT; i++) {
      String id = "a" + i;
      IDS[i] = id;
      OWNER[i] =
          KeyGroupRangeAssignment.assignKeyToParallelOperator(id, MAX_PARALLELISM, PARALLELISM);
      byOwner.get(OWNER[i]).add(id);
    }
    for (int p = 0; p < PARALLELISM; p++) {
      BY_OWNER[p] = byOwner.get(p).toArray(new String[0]);
    }
  }

  private Addresses() {}

  public static String id(long i) {
    return IDS[(int) (i % COUNT)];
  }

  /** The subtask that owns a benchmark address ({@code a<number>}). */
  public static int owner(String id) {
    int index = 0;
    for (int i = 1; i < id.length(); i++) {
      index = index * 10 + (id.charAt(i) - '0');
    }
    return OWNER[index];
  }

  /** A pseudo-random address of subtask {@code owner}. */
  public static String ofOwner(int owner, long random) {
    String[] ids = BY_OWNER[owner];
    return ids[(int) Long.remainderUnsigned(random, ids.length)];
  }

  /** SplitMix64: the next pseudo-random value of a chain. */
  public static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
