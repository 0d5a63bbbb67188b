package io.stateweave.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the benchmark jobs report to the benchmark, which runs them on a MiniCluster in its own JVM
 * and class loader: invocations, egress records, the time of the first invocation and the chains'
 * latencies. Reset before each run.
 */
public final class Probe {
  private static final LongAdder INVOCATIONS = new LongAdder();
  private static final LongAdder EGRESS = new LongAdder();
  private static final LongAdder ABORTED = new LongAdder();
  private static final AtomicLong FIRST_NANOS = new AtomicLong();
  private static volatile long firstCpuNanos;
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
  private static final AtomicInteger LATENCY_COUNT = new AtomicInteger();
  private static volatile long[] latencies = new long[0];

  private Probe() {}

  /** Forgets the last run; room for {@code latencySamples} chain latencies. */
  public static synchronized void reset(int latencySamples) {
    INVOCATIONS.reset();
    EGRESS.reset();
    ABORTED.reset();
    FIRST_NANOS.set(0);
    firstCpuNanos = 0;
    LATENCY_COUNT.set(0);
    latencies = new long[latencySamples];
  }

  /** Called by every benchmark function (and the baseline) once per invocation. */
  public static void invoked() {
    if (FIRST_NANOS.get() == 0) {
      started();
    }
    INVOCATIONS.increment();
  }

  public static void egressed() {
    if (FIRST_NANOS.get() == 0) {
      started();
    }
    EGRESS.increment();
  }

  /** ycsbt: a transfer ended without effect (an aborted transaction, a debit short of funds). */
  public static void aborted() {
    ABORTED.increment();
  }

  public static long aborts() {
    return ABORTED.sum();
  }

  private static void started() {
    long cpu = processCpuNanos();
    if (FIRST_NANOS.compareAndSet(0, System.nanoTime())) {
      firstCpuNanos = cpu;
    }
  }

  /** The CPU time the whole process (every thread) has used so far. */
  static long processCpuNanos() {
    return OS.getProcessCpuTime();
  }

  /** The time the JIT compilers have spent so far, summed over the compiler threads. */
  static long jitMillis() {
    return JIT.getTotalCompilationTime();
  }

  /** The time the collectors have spent so far. */
  static long gcMillis() {
    long millis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      millis += Math.max(0, gc.getCollectionTime());
    }
    return millis;
  }

  static long firstCpuNanos() {
    return firstCpuNanos;
  }

  /** A chain ended; it started at {@code startNanos} (System.nanoTime of the same JVM). */
  public static void chainLatency(long startNanos) {
    long latency = System.nanoTime() - startNanos;
    int i = LATENCY_COUNT.getAndIncrement();
    long[] samples = latencies;
    if (i < samples.length) {
      samples[i] = latency;
    }
  }

  /** The chain latencies recorded so far. */
  static int latencyCount() {
    return Math.min(LATENCY_COUNT.get(), latencies.length);
  }

  public static long invocations() {
    return INVOCATIONS.sum();
  }

  public static long egress() {
    return EGRESS.sum();
  }

  public static long firstNanos() {
    return FIRST_NANOS.get();
  }

  /** The recorded latencies, skipping the first {@code skip}, in the order they were recorded. */
  public static long[] latencies(int skip) {
    int n = Math.min(LATENCY_COUNT.get(), latencies.length);
    return Arrays.copyOfRange(latencies, Math.min(skip, n), n);
  }

  /** The recorded latencies, skipping the first {@code skip}, sorted ascending. */
  public static long[] sortedLatencies(int skip) {
    long[] sorted = latencies(skip);
    Arrays.sort(sorted);
    return sorted;
  }

  /**
   * The value at {@code quantile} (0..1) of a sorted array: the smallest with that share below or
   * equal.
   */
  public static long quantile(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return -1;
    }
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
