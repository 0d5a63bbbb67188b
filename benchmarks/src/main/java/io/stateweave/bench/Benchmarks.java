package io.stateweave.bench;

import io.stateweave.flink.module.HttpEndpointSpec;
import io.stateweave.flink.translation.StateweaveOptions;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.reqreply.RequestReplyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs the benchmark workloads and prints one line per result:
 *
 * <pre>
 * workload=count backend=hashmap n=2000000 seconds=… rate=… cpu_us=… ratio=…
 * </pre>
 *
 * <p>Jobs of the stateful-functions runtime never finish (their keep-alive source keeps the loop
 * open), so a run ends when the functions have done the expected work: every benchmark function
 * counts its invocations (egress records for delay) in the {@link Probe}, a static in this JVM,
 * where the MiniCluster runs. A run measures a job in steady state: the interval in which it does
 * its n items after a warm-up within the same job (see {@link #run}). Then the job is cancelled.
 * The baseline is measured the same way.
 *
 * <p>Arguments: {@code --workloads count,chain,delay,remote,remote-sdk,processor,ycsbt --backends hashmap,rocksdb --scale 1
 * --repeat 1 --no-warmup --job-warmup 1 --buffer-timeout-ms <ms> --functions-buffer-timeout-ms <ms>
 * --remote-capacity <calls> --remote-pool-size <connections> --remote-rate <messages/s> --conf
 * <key>=<value> --ycsbt-distributions uniform,zipf --ycsbt-epoch-size <requests> --ycsbt-epoch-ms <ms>}
 * (ycsbt: see {@link YcsbtWorkload}, its distributions and its epochs' size and delay, default a
 * module's; remote-sdk's generator rate, default unlimited; job warm-up: the items a job does before its
 * measured ones, as a fraction of n; buffer timeout: Flink's, for the jobs' other operators (the
 * generator and the baseline), default 100 ms; functions buffer timeout: {@code
 * stateweave.buffer-timeout}, default: the runtime's 2 ms; remote capacity, the remote calls in
 * flight per subtask, default: the runtime's; conf: more of Flink's configuration for every job,
 * repeatable).
 */
public final class Benchmarks {
  static final long COUNT_N = 2_000_000;
  static final long CHAIN_N = 200_000;
  // runs of 500,000 lasted 0.3-4 s and mostly measured how a fresh RocksDB instance starts
  static final long DELAY_N = 2_000_000;
  // remote: about 10,000 invocations/s on the 2-core machine, so fewer than count's n
  static final long REMOTE_N = 50_000;
  // remote-sdk: the shape, 300,000 messages over 10,000 addresses
  static final long REMOTE_SDK_N = 300_000;
  static final List<String> WORKLOADS =
      List.of("count", "chain", "delay", "remote", "remote-sdk", "processor", "ycsbt");
  private static final Duration SAMPLE_INTERVAL = Duration.ofMillis(100);
  private static final Duration PATIENCE = Duration.ofMinutes(10);
  private static final long QUIET_JIT_MILLIS = 5;
  private static final long QUIET_PERIOD_MILLIS = 100;
  private static final int LATEST_START = 3;

  /** What to run. */
  record Options(
      List<String> workloads,
      List<String> backends,
      double scale,
      int repeat,
      boolean warmup,
      double jobWarmup,
      long bufferTimeoutMs,
      long functionsBufferTimeoutMs,
      int remoteCapacity,
      int remotePoolSize,
      double remoteRate,
      SortedMap<String, String> flinkConf,
      YcsbtWorkload.Settings ycsbt) {
    static Options parse(String[] args) {
      List<String> workloads = WORKLOADS;
      List<String> backends = List.of("hashmap", "rocksdb");
      double scale = 1;
      int repeat = 1;
      boolean warmup = true;
      double jobWarmup = 1;
      long bufferTimeoutMs = -1;
      long functionsBufferTimeoutMs = -1;
      int remoteCapacity = StateweaveOptions.REMOTE_CAPACITY.defaultValue();
      int remotePoolSize = HttpEndpointSpec.Pool.DEFAULT.maxConnections();
      double remoteRate = 0;
      SortedMap<String, String> flinkConf = new TreeMap<>();
      YcsbtWorkload.Settings ycsbt = YcsbtWorkload.Settings.DEFAULT;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--workloads", "-w" -> workloads = List.of(args[++i].split(","));
          case "--backends", "-b" -> backends = List.of(args[++i].split(","));
          case "--scale", "-s" -> scale = Double.parseDouble(args[++i]);
          case "--repeat", "-r" -> repeat = Integer.parseInt(args[++i]);
          case "--no-warmup" -> warmup = false;
          case "--job-warmup" -> jobWarmup = Double.parseDouble(args[++i]);
          case "--buffer-timeout-ms" -> bufferTimeoutMs = Long.parseLong(args[++i]);
          case "--functions-buffer-timeout-ms" ->
              functionsBufferTimeoutMs = Long.parseLong(args[++i]);
          case "--remote-capacity" -> remoteCapacity = Integer.parseInt(args[++i]);
          case "--remote-pool-size" -> remotePoolSize = Integer.parseInt(args[++i]);
          case "--remote-rate" -> remoteRate = Double.parseDouble(args[++i]);
          case "--ycsbt-distributions" -> ycsbt = ycsbt.withDistributions(args[++i]);
          case "--ycsbt-epoch-size" -> ycsbt = ycsbt.withEpochSize(Integer.parseInt(args[++i]));
          case "--ycsbt-epoch-ms" -> ycsbt = ycsbt.withEpochDelay(Long.parseLong(args[++i]));
          case "--conf" -> {
            String setting = args[++i];
            int eq = setting.indexOf('=');
            if (eq <= 0) {
              throw new IllegalArgumentException("--conf takes key=value, got " + setting);
            }
            flinkConf.put(setting.substring(0, eq), setting.substring(eq + 1));
          }
          default ->
              throw new IllegalArgumentException(
                  "unknown argument "
                      + args[i]
                      + "; use --workloads count,chain,delay,remote,remote-sdk,processor,ycsbt --backends hashmap,rocksdb"
                      + " --scale 1 --repeat 1 --no-warmup --job-warmup 1"
                      + " --buffer-timeout-ms <ms>"
                      + " --functions-buffer-timeout-ms <ms>"
                      + " --remote-capacity <calls> --remote-pool-size <connections>"
                      + " --remote-rate <messages/s>"
                      + " --conf <flink key>=<value>"
                      + " --ycsbt-distributions uniform,zipf --ycsbt-epoch-size <requests>"
                      + " --ycsbt-epoch-ms <ms>");
        }
      }
      for (String workload : workloads) {
        if (!WORKLOADS.contains(workload)) {
          throw new IllegalArgumentException("unknown workload " + workload);
        }
      }
      return new Options(
          workloads,
          backends,
          scale,
          repeat,
          warmup,
          jobWarmup,
          bufferTimeoutMs,
          functionsBufferTimeoutMs,
          remoteCapacity,
          remotePoolSize,
          remoteRate,
          Collections.unmodifiableSortedMap(flinkConf),
          ycsbt);
    }

    long scaled(long n) {
      return Math.max(100, Math.round(n * scale));
    }

    /** The items a job processes before its measured {@code n}. */
    long jobWarmupOf(long n) {
      return Math.round(n * jobWarmup);
    }
  }

  /** One result line's numbers. */
  record Result(String workload, String backend, long n, Timing timing, String extra) {
    double rate() {
      return timing.rate();
    }

    String line() {
      return String.format(
          Locale.ROOT,
          "workload=%s backend=%s n=%d seconds=%.3f rate=%.0f cpu_us=%.3f alloc_b=%.0f%s",
          workload,
          backend,
          n,
          timing.seconds(),
          rate(),
          timing.cpuSeconds() * 1e6 / timing.items(),
          (double) timing.allocatedBytes() / timing.items(),
          extra.isEmpty() ? "" : " " + extra);
    }
  }

  /**
   * A run's wall-clock seconds and the process CPU seconds it used, both from the first invocation
   * to the target. CPU per item is the steadier figure for comparing two versions of the runtime on
   * a shared machine: it does not count the time other processes held the cores. {@code
   * allocatedBytes} is what the threads allocated on the heap in the same interval: the garbage
   * that sets how often the young generation is collected. {@code threadCpu} is a comment line with
   * each thread's share.
   */
  record Timing(
      double seconds,
      long warmupItems,
      long items,
      double cpuSeconds,
      double otherCpuSeconds,
      int latenciesBeforeStart,
      String jitAndGc,
      long allocatedBytes,
      String threadCpu) {
    double rate() {
      return items / seconds;
    }
  }

  private final Options options;
  private final Consumer<String> out;
  private final Path checkpoints;

  Benchmarks(Options options, Consumer<String> out, Path checkpoints) {
    this.options = options;
    this.out = out;
    this.checkpoints = checkpoints;
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Path checkpoints = Files.createTempDirectory("stateweave-bench");
    try {
      System.out.println(machine());
      if (!options.flinkConf().isEmpty()) {
        System.out.println("# flink conf: " + options.flinkConf());
      }
      new Benchmarks(options, System.out::println, checkpoints).runAll();
    } finally {
      deleteRecursively(checkpoints);
    }
    // the MiniClusters' non-daemon threads would keep the JVM alive
    System.exit(0);
  }

  /** Runs what the options say; returns every result (also printed). */
  List<Result> runAll() throws Exception {
    if (options.warmup()) {
      // full size: with runs at a tenth, the first reported run of each workload was still
      // about half as fast as the next ones (JIT)
      out.accept("# warm-up (not reported): one run of each workload on the heap backend");
      Benchmarks warm =
          new Benchmarks(
              new Options(
                  options.workloads(),
                  List.of("hashmap"),
                  options.scale(),
                  1,
                  false,
                  options.jobWarmup(),
                  options.bufferTimeoutMs(),
                  options.functionsBufferTimeoutMs(),
                  options.remoteCapacity(),
                  options.remotePoolSize(),
                  options.remoteRate(),
                  options.flinkConf(),
                  options.ycsbt()),
              line -> {},
              checkpoints);
      warm.runAll();
    }
    List<Result> results = new ArrayList<>();
    for (String workload : options.workloads()) {
      for (String backend : options.backends()) {
        for (int r = 0; r < options.repeat(); r++) {
          switch (workload) {
            case "count" -> results.addAll(count(backend));
            case "chain" -> results.addAll(chain(backend));
            case "delay" -> results.add(delay(backend));
            case "remote" -> results.add(remote(backend));
            case "remote-sdk" -> results.add(remoteSdk(backend));
            case "processor" -> results.addAll(processor(backend));
            case "ycsbt" ->
                results.addAll(
                    new YcsbtWorkload(this, options.ycsbt(), options.scaled(YcsbtWorkload.N))
                        .run(backend));
            default -> throw new IllegalArgumentException(workload);
          }
        }
      }
    }
    return results;
  }

  private List<Result> count(String backend) throws Exception {
    long n = options.scaled(COUNT_N);
    long warm = options.jobWarmupOf(n);
    StreamExecutionEnvironment baselineEnv = environment(backend);
    Jobs.baselineCount(baselineEnv, jobItems(warm, n));
    Timing baseline = run(baselineEnv, "count baseline", warm, n, 0, Probe::invocations);
    Result base = emit(new Result("count-baseline", backend, n, baseline, "ratio=1.00"));

    StreamExecutionEnvironment env = environment(backend);
    Jobs.count(env, jobItems(warm, n));
    Timing timing = run(env, "count", warm, n, 0, Probe::invocations);
    double ratio = timing.rate() / baseline.rate();
    Result result =
        emit(
            new Result(
                "count", backend, n, timing, String.format(Locale.ROOT, "ratio=%.2f", ratio)));
    return List.of(base, result);
  }

  /**
   * processor: count's records and keys through a processor task counting in its KV store, against
   * the hand-written count in the same run.
   */
  private List<Result> processor(String backend) throws Exception {
    long n = options.scaled(COUNT_N);
    long warm = options.jobWarmupOf(n);
    StreamExecutionEnvironment baselineEnv = environment(backend);
    Jobs.baselineCount(baselineEnv, jobItems(warm, n));
    Timing baseline = run(baselineEnv, "count baseline", warm, n, 0, Probe::invocations);
    Result base = emit(new Result("processor-baseline", backend, n, baseline, "ratio=1.00"));

    StreamExecutionEnvironment env = environment(backend);
    Jobs.processor(env, jobItems(warm, n));
    Timing timing = run(env, "processor", warm, n, 0, Probe::invocations);
    double ratio = timing.rate() / baseline.rate();
    Result result =
        emit(
            new Result(
                "processor", backend, n, timing, String.format(Locale.ROOT, "ratio=%.2f", ratio)));
    return List.of(base, result);
  }

  private List<Result> chain(String backend) throws Exception {
    long chains = options.scaled(CHAIN_N);
    long warmChains = options.jobWarmupOf(chains);
    long invocations = chains * (ChainFunction.HOPS + 1);
    long warm = warmChains * (ChainFunction.HOPS + 1);
    StreamExecutionEnvironment peakEnv = environment(backend);
    Jobs.chain(peakEnv, jobItems(warmChains, chains), 0);
    Timing timing = run(peakEnv, "chain peak", warm, invocations, 0, Probe::invocations);
    Result peak =
        emit(
            new Result(
                "chain",
                backend,
                invocations,
                timing,
                String.format(
                    Locale.ROOT,
                    "chains=%d hops=%d cross=%.2f",
                    chains,
                    ChainFunction.HOPS,
                    ChainFunction.CROSS)));

    double offered = peak.rate() / 2 / (ChainFunction.HOPS + 1);
    StreamExecutionEnvironment latencyEnv = environment(backend);
    Jobs.chain(latencyEnv, jobItems(warmChains, chains), offered);
    Timing latencyTiming =
        run(
            latencyEnv,
            "chain latency",
            warm,
            invocations,
            (int) jobItems(warmChains, chains),
            Probe::invocations);
    // the chains that ended in the warm-up, and the first tenth of the measured ones
    int skip = (int) (latencyTiming.latenciesBeforeStart() + chains / 10);
    long[] sorted = Probe.sortedLatencies(skip);
    Result latency =
        emit(
            new Result(
                "chain-latency",
                backend,
                invocations,
                latencyTiming,
                String.format(
                    Locale.ROOT,
                    "offered_chains_per_s=%.0f buffer_timeout_ms=%s functions_buffer_timeout_ms=%s"
                        + " samples=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f",
                    offered,
                    options.bufferTimeoutMs() < 0
                        ? "100"
                        : Long.toString(options.bufferTimeoutMs()),
                    options.functionsBufferTimeoutMs() < 0
                        ? Long.toString(StateweaveOptions.BUFFER_TIMEOUT.defaultValue().toMillis())
                        : Long.toString(options.functionsBufferTimeoutMs()),
                    sorted.length,
                    Probe.quantile(sorted, 0.50) / 1e6,
                    Probe.quantile(sorted, 0.99) / 1e6,
                    Probe.quantile(sorted, 1.0) / 1e6)));
    return List.of(peak, latency);
  }

  private Result delay(String backend) throws Exception {
    long n = options.scaled(DELAY_N);
    long warm = options.jobWarmupOf(n);
    StreamExecutionEnvironment env = environment(backend);
    Jobs.delay(env, jobItems(warm, n));
    Timing timing = run(env, "delay", warm, n, 0, Probe::egress);
    return emit(new Result("delay", backend, n, timing, "delay_ms=1"));
  }

  /**
   * count with the function served over HTTP on loopback. Rate: invocations in the function (server
   * side). Calls: the runtime's {@code batchSize} histograms' counts (every call, also an address's
   * first, which comes back asking for the declared state and is sent again). Batch sizes and
   * request latencies: the histograms' windows (the last 1,000 calls of each subtask), read when
   * half of the invocations are done (steady state; the maximum batch size is the largest seen in
   * any read, every 100 ms). Latency is the runtime's, per attempt, in whole milliseconds.
   */
  private Result remote(String backend) throws Exception {
    long n = options.scaled(REMOTE_N);
    long warm = options.jobWarmupOf(n);
    try (RequestReplyServer server = RemoteCount.serve()) {
      RemoteMetrics.reset();
      StreamExecutionEnvironment env = environment(backend, true);
      Jobs.remoteCount(
          env, jobItems(warm, n), RemoteCount.endpointYaml(server), options.remoteCapacity());
      RemoteSampler sampler = new RemoteSampler(warm + n / 2);
      Timing timing = run(env, "remote", warm, n, 0, Probe::invocations, sampler, () -> 0);
      long invocations = timing.warmupItems() + timing.items();
      sampler.sample(invocations);
      long calls = RemoteMetrics.batchSizes().stream().mapToLong(Histogram::getCount).sum();
      long[] batches = sampler.midBatches;
      long[] latencies = sampler.midLatencies;
      return emit(
          new Result(
              "remote",
              backend,
              n,
              timing,
              String.format(
                  Locale.ROOT,
                  "capacity=%d calls=%d invocations_per_call=%.2f batch_mean=%.2f batch_max=%d"
                      + " latency_samples=%d latency_p50_ms=%d latency_p99_ms=%d"
                      + " latency_max_ms=%d",
                  options.remoteCapacity(),
                  calls,
                  calls == 0 ? 0.0 : (double) invocations / calls,
                  Arrays.stream(batches).average().orElse(0),
                  sampler.maxBatch,
                  latencies.length,
                  Probe.quantile(latencies, 0.50),
                  Probe.quantile(latencies, 0.99),
                  Probe.quantile(latencies, 1.0))));
    } finally {
      RemoteMetrics.reset();
    }
  }

  /**
   * remote-sdk: count, by a function of the official StateFun Java SDK in a server process of its
   * own ({@link SdkCounterServer}), the shape StateFun users run. Rate: messages delivered, from the
   * runtime's {@code invocations} counters. {@code cpu_us} is this JVM's CPU per invocation (the
   * runtime, its MiniCluster and the generator), {@code server_cpu_us} the server process's.
   */
  private Result remoteSdk(String backend) throws Exception {
    long n = options.scaled(REMOTE_SDK_N);
    long warm = options.jobWarmupOf(n);
    Path portFile = checkpoints.resolve("sdk-server-port-" + System.nanoTime());
    Process server =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                SdkCounterServer.class.getName(),
                portFile.toString())
            .inheritIO()
            .start();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!Files.exists(portFile)) {
        if (!server.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("the SDK server did not start");
        }
        Thread.sleep(10);
      }
      int port = Integer.parseInt(Files.readString(portFile).trim());
      RemoteMetrics.reset();
      StreamExecutionEnvironment env = environment(backend, true);
      Jobs.remoteCount(
          env,
          jobItems(warm, n),
          """
          kind: io.statefun.endpoints.v2/http
          spec:
            functions: bench/*
            urlPathTemplate: http://127.0.0.1:%d/{function.name}
            transport:
              type: io.statefun.transports.v1/async
              pool_size: %d
          """
              .formatted(port, options.remotePoolSize()),
          TypeName.parse(SdkCounterServer.TYPE),
          options.remoteCapacity(),
          options.remoteRate());
      RemoteSampler sampler = new RemoteSampler(warm + n / 2);
      ProcessHandle serverProcess = server.toHandle();
      Timing timing =
          run(
              env,
              "remote-sdk",
              warm,
              n,
              0,
              RemoteMetrics::invocations,
              sampler,
              () -> serverProcess.info().totalCpuDuration().orElse(Duration.ZERO).toNanos());
      long invocations = RemoteMetrics.invocations();
      sampler.sample(invocations);
      long calls = RemoteMetrics.batchSizes().stream().mapToLong(Histogram::getCount).sum();
      long[] latencies = sampler.midLatencies;
      return emit(
          new Result(
              "remote-sdk",
              backend,
              n,
              timing,
              String.format(
                  Locale.ROOT,
                  "server_cpu_us=%.1f capacity=%d pool_size=%d invocations_per_call=%.2f batch_max=%d"
                      + " latency_p50_ms=%d latency_p99_ms=%d",
                  timing.otherCpuSeconds() * 1e6 / timing.items(),
                  options.remoteCapacity(),
                  options.remotePoolSize(),
                  calls == 0 ? 0.0 : (double) invocations / calls,
                  sampler.maxBatch,
                  Probe.quantile(latencies, 0.50),
                  Probe.quantile(latencies, 0.99))));
    } finally {
      server.destroy();
      server.waitFor();
      RemoteMetrics.reset();
    }
  }

  /** Reads the remote histograms' windows while the remote workload runs. */
  private static final class RemoteSampler implements LongConsumer {
    private final long midway;
    long maxBatch;
    long[] midBatches = new long[0];
    long[] midLatencies = new long[0];
    private boolean midTaken;

    RemoteSampler(long midway) {
      this.midway = midway;
    }

    @Override
    public void accept(long progress) {
      sample(progress);
    }

    void sample(long progress) {
      long[] batches = window(RemoteMetrics.batchSizes());
      for (long batch : batches) {
        maxBatch = Math.max(maxBatch, batch);
      }
      // a run too short for a sample at half way (the smoke test's) reports its last window
      if (!midTaken || midBatches.length == 0) {
        midBatches = batches;
        midLatencies = window(RemoteMetrics.latencies());
        Arrays.sort(midLatencies);
        midTaken = progress >= midway;
      }
    }

    private static long[] window(List<Histogram> histograms) {
      return histograms.stream()
          .flatMapToLong(h -> Arrays.stream(h.getStatistics().getValues()))
          .toArray();
    }
  }

  Options options() {
    return options;
  }

  StreamExecutionEnvironment environment(String backend) {
    return environment(backend, false);
  }

  /** A job's environment; {@code remoteMetrics} registers {@link RemoteMetrics}. */
  private StreamExecutionEnvironment environment(String backend, boolean remoteMetrics) {
    return Jobs.environment(
        backend,
        checkpoints,
        options.bufferTimeoutMs(),
        options.functionsBufferTimeoutMs(),
        options.flinkConf(),
        remoteMetrics);
  }

  /** A comment line in the output, beside the results. */
  void comment(String line) {
    out.accept("# " + line);
  }

  Result emit(Result result) {
    out.accept(result.line());
    out.accept(result.timing().jitAndGc());
    out.accept(result.timing().threadCpu());
    return result;
  }

  /**
   * The items to give a job that warms up with at least {@code warm} items before its measured
   * {@code n}: enough for the latest start of the measurement.
   */
  static long jobItems(long warm, long n) {
    return (LATEST_START + 1) * warm + n;
  }

  /**
   * Starts the job, measures the interval in which it processes {@code n} items after its warm-up,
   * then cancels it. A fresh job is slow for its first second or so, however warm the JVM: the JIT
   * recompiles its hot paths (a new job takes branches the last one's code had not seen: the first
   * record, the last one) and catches up on what the job's deployment left it to compile. The
   * interval starts once {@code warm} items are done and the JIT has compiled for at most {@value
   * #QUIET_JIT_MILLIS} ms in the last {@value #QUIET_PERIOD_MILLIS} ms, or once {@value
   * #LATEST_START} × {@code warm} are done; the job must have {@link #jobItems} items. Progress is
   * polled every millisecond, so the interval's ends are exact to a millisecond and its items are
   * counted exactly.
   */
  static Timing run(
      StreamExecutionEnvironment env,
      String name,
      long warm,
      long n,
      int latencySamples,
      LongSupplier progress)
      throws Exception {
    return run(env, name, warm, n, latencySamples, progress, p -> {}, () -> 0);
  }

  /**
   * As above, handing the progress to {@code sampler} every 100 ms and reading another process's
   * CPU time ({@code otherCpuNanos}) at the start and the end of the measured interval.
   */
  private static Timing run(
      StreamExecutionEnvironment env,
      String name,
      long warm,
      long n,
      int latencySamples,
      LongSupplier progress,
      LongConsumer sampler,
      LongSupplier otherCpuNanos)
      throws Exception {
    Probe.reset(latencySamples);
    ThreadUsage threadsAtSubmission = ThreadUsage.now();
    JobClient job = env.executeAsync("stateweave benchmark: " + name);
    Path jobCheckpoints =
        Path.of(URI.create(env.getConfiguration().get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)))
            .resolve(job.getJobID().toString());
    long checkpointAtStart = 0;
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    long nextStatusCheck = 0;
    long nextSample = 0;
    long nextJitCheck = 0;
    long jitAtLastCheck = Probe.jitMillis();
    boolean jitQuiet = false;
    Mark start = null;
    ThreadUsage threadsAtStart = null;
    long target = jobItems(warm, n);
    try {
      long done;
      while ((done = progress.getAsLong()) < target) {
        long now = System.nanoTime();
        if (now > nextJitCheck) {
          long jit = Probe.jitMillis();
          jitQuiet = jit - jitAtLastCheck <= QUIET_JIT_MILLIS;
          jitAtLastCheck = jit;
          nextJitCheck = now + QUIET_PERIOD_MILLIS * 1_000_000;
        }
        if (start == null
            && done >= Math.max(1, warm)
            && (jitQuiet || done >= LATEST_START * warm)) {
          start = Mark.now(done, otherCpuNanos);
          checkpointAtStart = latestCheckpoint(jobCheckpoints);
          threadsAtStart = ThreadUsage.now();
          // without a warm-up the interval is the job's first n items, from the first seen
          target = warm == 0 ? n : done + n;
        }
        if (now > deadline) {
          throw new IllegalStateException(
              name + ": only " + done + " of " + target + " within " + PATIENCE);
        }
        if (now > nextStatusCheck) {
          JobStatus status = job.getJobStatus().get();
          if (status.isGloballyTerminalState() && progress.getAsLong() < target) {
            // a bounded baseline may finish right after its last record: look once more
            Thread.sleep(50);
            if (progress.getAsLong() < target) {
              job.getJobExecutionResult().get();
              throw new IllegalStateException(
                  name + " ended (" + status + ") after " + progress.getAsLong() + " of " + target);
            }
          }
          nextStatusCheck = now + Duration.ofMillis(500).toNanos();
        }
        if (now > nextSample) {
          sampler.accept(done);
          nextSample = now + SAMPLE_INTERVAL.toNanos();
        }
        Thread.sleep(1);
      }
      Mark end = Mark.now(done, otherCpuNanos);
      ThreadUsage threadsAtEnd = ThreadUsage.now();
      if (start == null) {
        // all of it between two polls: a smoke run's size
        start =
            new Mark(
                Probe.firstNanos(), 0, Probe.firstCpuNanos(), end.jitMillis, end.gcMillis, 0, 0);
        threadsAtStart = threadsAtSubmission;
      }
      return new Timing(
          (end.nanos - start.nanos) / 1e9,
          start.items,
          end.items - start.items,
          (end.cpuNanos - start.cpuNanos) / 1e9,
          (end.otherCpuNanos - start.otherCpuNanos) / 1e9,
          start.latencies,
          String.format(
              Locale.ROOT,
              "# warm-up items=%d, then in the measured interval: jit_ms=%d gc_ms=%d"
                  + " checkpoints=%d",
              start.items,
              end.jitMillis - start.jitMillis,
              end.gcMillis - start.gcMillis,
              latestCheckpoint(jobCheckpoints) - checkpointAtStart),
          threadsAtEnd.allocatedSince(threadsAtStart),
          threadsAtEnd.cpuSince(threadsAtStart));
    } finally {
      stop(job);
    }
  }

  /**
   * The number of the job's latest checkpoint begun, from its directory ({@code chk-<n>}; Flink
   * keeps the last completed one and the ones in progress), 0 before the first: the checkpoints a
   * measured interval saw, which hold some chains for tens of milliseconds each.
   */
  private static long latestCheckpoint(Path jobCheckpoints) throws IOException {
    if (!Files.isDirectory(jobCheckpoints)) {
      return 0;
    }
    try (Stream<Path> entries = Files.list(jobCheckpoints)) {
      return entries
          .map(entry -> entry.getFileName().toString())
          .filter(name -> name.matches("chk-\\d+"))
          .mapToLong(name -> Long.parseLong(name.substring("chk-".length())))
          .max()
          .orElse(0);
    }
  }

  /** The progress of a run at one moment, the JVM's clocks and the chain latencies recorded. */
  private record Mark(
      long nanos,
      long items,
      long cpuNanos,
      long jitMillis,
      long gcMillis,
      int latencies,
      long otherCpuNanos) {
    static Mark now(long items, LongSupplier otherCpuNanos) {
      return new Mark(
          System.nanoTime(),
          items,
          Probe.processCpuNanos(),
          Probe.jitMillis(),
          Probe.gcMillis(),
          Probe.latencyCount(),
          otherCpuNanos.getAsLong());
    }
  }

  private static void stop(JobClient job) throws Exception {
    try {
      if (!job.getJobStatus().get().isGloballyTerminalState()) {
        job.cancel().get();
      }
    } catch (Exception e) {
      // already gone: a finished baseline
    }
    try {
      job.getJobExecutionResult().get();
    } catch (Exception e) {
      // cancelled, as intended
    }
  }

  static String machine() {
    String cpu = "unknown";
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      cpu =
          lines
              .filter(line -> line.startsWith("model name"))
              .map(line -> line.substring(line.indexOf(':') + 1).trim())
              .findFirst()
              .orElse(cpu);
    } catch (IOException | UncheckedIOException e) {
      // not Linux
    }
    String load = "unknown";
    try {
      load = Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      // not Linux
    }
    return String.format(
            Locale.ROOT,
            "# machine: cores=%d cpu=\"%s\" heap_max_mb=%d java=%s flink=%s loadavg=\"%s\"",
            Runtime.getRuntime().availableProcessors(),
            cpu,
            Runtime.getRuntime().maxMemory() >> 20,
            System.getProperty("java.version"),
            org.apache.flink.runtime.util.EnvironmentInformation.getVersion(),
            load)
        + " jvm_args=\""
        + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())
            .replaceAll("--add-opens=\\S+ ?", "")
        + "\"";
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
