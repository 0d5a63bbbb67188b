package io.stateweave.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CPU time each thread of the JVM has used and the heap bytes it has allocated, by thread
 * name: which task of a job (source and router, dispatcher, ...) spends the CPU a run used, and
 * how much garbage the run makes (what sets how often the young generation is collected). Threads
 * of one kind are merged (numbers in their names dropped) except the subtask index, so {@code
 * functions (1/2)#0} reads {@code functions 1}.
 */
final class ThreadUsage {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** Threads below this share of all threads' CPU in an interval are left out of its line. */
  private static final double MIN_SHARE = 0.02;

  private final Map<String, Long> cpuNanosByName;
  private final long allocatedBytes;

  private ThreadUsage(Map<String, Long> cpuNanosByName, long allocatedBytes) {
    this.cpuNanosByName = cpuNanosByName;
    this.allocatedBytes = allocatedBytes;
  }

  static ThreadUsage now() {
    Map<String, Long> cpuNanosByName = new TreeMap<>();
    long allocated = 0;
    for (long id : THREADS.getAllThreadIds()) {
      ThreadInfo info = THREADS.getThreadInfo(id);
      long nanos = THREADS.getThreadCpuTime(id);
      if (info != null && nanos >= 0) {
        cpuNanosByName.merge(kind(info.getThreadName()), nanos, Long::sum);
      }
      allocated += Math.max(0, THREADS.getThreadAllocatedBytes(id));
    }
    return new ThreadUsage(cpuNanosByName, allocated);
  }

  private static String kind(String threadName) {
    String subtask = threadName.replaceAll(".*\\((\\d+)/\\d+\\).*", "$1");
    String kind = threadName.replaceAll("\\(\\d+/\\d+\\)|#\\d+", "").replaceAll("\\d+", "N");
    kind = kind.trim().replaceAll("\\s+", " ");
    return subtask.equals(threadName) ? kind : kind + " " + subtask;
  }

  /**
   * The bytes the live threads allocated since {@code before}; a thread that ended in between is
   * not counted, one that started in between is counted from its start.
   */
  long allocatedSince(ThreadUsage before) {
    return Math.max(0, allocatedBytes - before.allocatedBytes);
  }

  /** A comment line: the CPU seconds each kind of thread used since {@code before}. */
  String cpuSince(ThreadUsage before) {
    Map<String, Long> used = new TreeMap<>();
    cpuNanosByName.forEach(
        (name, nanos) -> used.put(name, nanos - before.cpuNanosByName.getOrDefault(name, 0L)));
    long total = used.values().stream().mapToLong(Long::longValue).sum();
    StringBuilder line = new StringBuilder("# cpu_s by thread:");
    used.forEach(
        (name, nanos) -> {
          if (nanos > 0 && nanos >= MIN_SHARE * total) {
            line.append(String.format(Locale.ROOT, " [%s]=%.3f", name, nanos / 1e9));
          }
        });
    return line.toString();
  }
}
