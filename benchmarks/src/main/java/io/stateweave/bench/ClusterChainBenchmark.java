package io.stateweave.bench;

import io.stateweave.testinfra.flink.FlinkCluster;
import io.stateweave.testinfra.flink.JobId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a hop between TaskManager JVMs costs: the chain workload ({@link ClusterChainProgram}) on a
 * standalone cluster (the one the end-to-end tests start), at parallelism 2, once on one
 * TaskManager with two slots and once on two TaskManagers with one slot each, alternating, each
 * run on a fresh cluster with the same memory in all. With two TaskManagers every hop to the other
 * subtask ({@value ChainFunction#CROSS} of them) is serialized and crosses a TCP connection
 * between the JVMs; with one it stays in the JVM's network stack. Prints one line per run and the
 * medians' ratio.
 *
 * <p>The runs' figures come from the REST API: chains started (the generator's records out,
 * which in steady state is the chains finished, the source being held back by the loop's
 * backpressure), hops to the other subtask (the loop tail's records in) and the CPU time of the
 * cluster's JVMs, over a measured interval after a warm-up.
 *
 * <p>Arguments: {@code --repeat 2 --warmup-seconds 20 --measure-seconds 20}.
 */
public final class ClusterChainBenchmark {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
  private static final String GENERATOR_PREFIX = "Source: generator";
  private static final String FEEDBACK_VERTEX = "feedback";
  private static final long INVOCATIONS_PER_CHAIN = ChainFunction.HOPS + 1L;

  /** One cluster layout: TaskManagers × slots, parallelism 2 in both. */
  record Layout(int taskManagers, int slots) {
    String label() {
      return taskManagers + "x" + slots;
    }

    Map<String, String> config() {
      return Map.of(
          // the same memory for the job in both layouts: 1 GB per slot
          "taskmanager.memory.process.size", slots + "g",
          // the REST API's metrics fresh within half a second instead of ten
          "metrics.fetcher.update-interval", "500ms");
    }
  }

  /** The counters at one moment. */
  record Sample(long nanos, double chains, double crossHops, Duration cpu) {}

  /** One measured run. */
  record Run(
      Layout layout, double seconds, double chainsPerSecond, double cross, double cpuMicros) {
    String line() {
      return String.format(
          Locale.ROOT,
          "workload=chain-cluster layout=%s seconds=%.1f rate=%.0f chains_per_s=%.0f"
              + " cross_per_chain=%.2f cpu_us=%.3f",
          layout.label(),
          seconds,
          chainsPerSecond * INVOCATIONS_PER_CHAIN,
          chainsPerSecond,
          cross,
          cpuMicros);
    }
  }

  private ClusterChainBenchmark() {}

  public static void main(String[] args) throws Exception {
    int repeat = 2;
    long warmupSeconds = 20;
    long measureSeconds = 20;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--repeat" -> repeat = Integer.parseInt(args[++i]);
        case "--warmup-seconds" -> warmupSeconds = Long.parseLong(args[++i]);
        case "--measure-seconds" -> measureSeconds = Long.parseLong(args[++i]);
        default ->
            throw new IllegalArgumentException(
                "unknown argument "
                    + args[i]
                    + "; use --repeat 2 --warmup-seconds 20 --measure-seconds 20");
      }
    }
    ClusterFiles files = ClusterFiles.locate("cluster");
    List<Layout> layouts = List.of(new Layout(1, 2), new Layout(2, 1));
    List<Run> runs = new ArrayList<>();
    for (int r = 0; r < repeat; r++) {
      for (Layout layout : layouts) {
        Path dir = files.work().resolve(layout.label() + "-" + r);
        Run run = run(dir, files, layout, warmupSeconds, measureSeconds);
        System.out.println(run.line());
        runs.add(run);
      }
    }
    double one = median(runs, layouts.get(0));
    double two = median(runs, layouts.get(1));
    System.out.printf(
        Locale.ROOT,
        "# median rate: 1x2 %.0f, 2x1 %.0f invocations/s; ratio 2x1/1x2 %.2f%n",
        one,
        two,
        two / one);
  }

  private static Run run(
      Path dir, ClusterFiles files, Layout layout, long warmupSeconds, long measureSeconds)
      throws InterruptedException {
    try (FlinkCluster cluster =
        FlinkCluster.start(dir, layout.taskManagers(), layout.slots(), layout.config())) {
      JobId job =
          cluster.submit(
              files.jobJar(),
              List.of(files.classes()),
              ClusterChainProgram.class.getName(),
              List.of(),
              Addresses.PARALLELISM,
              null);
      cluster.awaitTasksRunning(job, START_TIMEOUT);
      String generator = generatorVertex(cluster, job);
      Thread.sleep(Duration.ofSeconds(warmupSeconds).toMillis());
      Sample first = sample(cluster, job, generator, Double.NaN);
      Thread.sleep(Duration.ofSeconds(measureSeconds).toMillis());
      Sample last = sample(cluster, job, generator, first.chains());
      cluster.cancel(job);
      double seconds = (last.nanos() - first.nanos()) / 1e9;
      double chains = last.chains() - first.chains();
      return new Run(
          layout,
          seconds,
          chains / seconds,
          (last.crossHops() - first.crossHops()) / chains,
          last.cpu().minus(first.cpu()).toNanos() / 1e3 / (chains * INVOCATIONS_PER_CHAIN));
    }
  }

  private static String generatorVertex(FlinkCluster cluster, JobId job) {
    for (String name : cluster.vertexNames(job)) {
      if (name.startsWith(GENERATOR_PREFIX)) {
        return name;
      }
    }
    throw new IllegalStateException("no generator vertex in " + cluster.vertexNames(job));
  }

  /**
   * The counters as soon as the REST API has fetched new values (the chains counter differs from
   * {@code previous}), so that the moment taken is the moment they were read.
   */
  private static Sample sample(FlinkCluster cluster, JobId job, String generator, double previous)
      throws InterruptedException {
    double stale = cluster.vertexMetricSum(job, generator, "numRecordsOut");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      double chains = cluster.vertexMetricSum(job, generator, "numRecordsOut");
      if (!Double.isNaN(chains) && chains != stale && chains != previous) {
        long nanos = System.nanoTime();
        Duration cpu = cluster.cpuTime();
        double cross = cluster.vertexMetricSum(job, FEEDBACK_VERTEX, "numRecordsIn");
        return new Sample(nanos, chains, cross, cpu);
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("the generator's numRecordsOut did not change for 30 s");
  }

  private static double median(List<Run> runs, Layout layout) {
    double[] rates =
        runs.stream()
            .filter(run -> run.layout().equals(layout))
            .mapToDouble(run -> run.chainsPerSecond() * INVOCATIONS_PER_CHAIN)
            .sorted()
            .toArray();
    int n = rates.length;
    return n % 2 == 1 ? rates[n / 2] : (rates[n / 2 - 1] + rates[n / 2]) / 2;
  }
}
