package io.stateweave.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CPU time each thread of the JVM has used, by thread name: which task of a job (source and
 * router, dispatcher, ...) spends the CPU a run used. Threads of one kind are merged (numbers in
 * their names dropped) except the subtask index, so {@code functions (1/2)#0} reads {@code
 * functions 1}.
 */
final class ThreadCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** Threads below this share of all threads' CPU in an interval are left out of its line. */
  private static final double MIN_SHARE = 0.02;

  private final Map<String, Long> nanosByName;

  private ThreadCpu(Map<String, Long> nanosByName) {
    this.nanosByName = nanosByName;
  }

  static ThreadCpu now() {
    Map<String, Long> nanosByName = new TreeMap<>();
    for (long id : THREADS.getAllThreadIds()) {
      ThreadInfo info = THREADS.getThreadInfo(id);
      long nanos = THREADS.getThreadCpuTime(id);
      if (info != null && nanos >= 0) {
        nanosByName.merge(kind(info.getThreadName()), nanos, Long::sum);
      }
    }
    return new ThreadCpu(nanosByName);
  }

  private static String kind(String threadName) {
    String subtask = threadName.replaceAll(".*\\((\\d+)/\\d+\\).*", "$1");
    String kind = threadName.replaceAll("\\(\\d+/\\d+\\)|#\\d+", "").replaceAll("\\d+", "N");
    kind = kind.trim().replaceAll("\\s+", " ");
    return subtask.equals(threadName) ? kind : kind + " " + subtask;
  }

  /** A comment line: the CPU seconds each kind of thread used since {@code before}. */
  String since(ThreadCpu before) {
    Map<String, Long> used = new TreeMap<>();
    nanosByName.forEach(
        (name, nanos) -> used.put(name, nanos - before.nanosByName.getOrDefault(name, 0L)));
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
