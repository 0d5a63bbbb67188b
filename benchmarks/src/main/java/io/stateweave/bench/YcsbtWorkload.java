package io.stateweave.bench;

import io.stateweave.bench.Benchmarks.Result;
import io.stateweave.bench.Benchmarks.Timing;
import io.stateweave.bench.Transfers.Distribution;
import io.stateweave.flink.module.TransactionsKafkaSpec;
import io.stateweave.flink.transaction.EpochOptions;
import io.stateweave.flink.transaction.Transactions;
import io.stateweave.flink.translation.StateweaveOptions;
import io.stateweave.sdk.entity.TransactionRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * ycsbt: YCSB-T transfers between two accounts of 10,000 ({@link Transfers}), per distribution:
 *
 * <ul>
 *   <li>{@code ycsbt-<distribution>}: as transactions ({@link YcsbtAccounts}, {@link
 *       Transactions#execute}), the generator at full speed (backpressure sets the rate): answers,
 *       committed or aborted, per second in steady state; {@code aborted} is the share of aborted
 *       answers in the whole job;
 *   <li>{@code ycsbt-<distribution>-latency}: again, the generator at half that peak (open loop):
 *       latency from the time a request was due at the source to its answer at the sink, over
 *       at least {@link #LATENCY_SPAN} (times {@code --scale});
 *   <li>{@code ycsbt-plain-<distribution>} and {@code ycsbt-plain-<distribution>-latency}: the same
 *       transfers as plain messages between embedded functions ({@link PlainAccountFunction}), at
 *       full speed and at the transactional latency run's rate; a transfer is done when its credit
 *       is applied (or its debit found the balance short). {@code ratio} on the transactional peak
 *       is transactional / plain: the price of serializability.
 * </ul>
 *
 * Both generators' outputs flush after {@code stateweave.buffer-timeout}, as the plain job's
 * router does, so that the two pay the same for a partly filled network buffer.
 */
final class YcsbtWorkload {
  /** Transfers measured per run (after the job's warm-up, see {@link Benchmarks#jobItems}). */
  static final long N = 200_000;

  private static final int TRACE_BLOCK = 5_000;

  /**
   * A latency run lasts at least this long (times {@code --scale}), so that its p99 holds the
   * pauses of a few checkpoints however fast the machine runs the transfers.
   */
  private static final Duration LATENCY_SPAN = Jobs.CHECKPOINT_INTERVAL.multipliedBy(3);

  /** ycsbt's own options; the epochs by default those of a module's transactions. */
  record Settings(List<Distribution> distributions, EpochOptions epochs) {
    static final Settings DEFAULT =
        new Settings(
            List.of(Distribution.UNIFORM, Distribution.ZIPF),
            new EpochOptions(
                TransactionsKafkaSpec.DEFAULT_EPOCH_MAX_SIZE,
                TransactionsKafkaSpec.DEFAULT_EPOCH_MAX_DELAY));

    Settings {
      if (distributions.isEmpty()) {
        throw new IllegalArgumentException("ycsbt needs at least one distribution");
      }
      distributions = List.copyOf(distributions);
    }

    /** {@code --ycsbt-distributions uniform,zipf} */
    Settings withDistributions(String names) {
      List<Distribution> parsed = new ArrayList<>();
      for (String name : names.split(",")) {
        parsed.add(Distribution.parse(name));
      }
      return new Settings(parsed, epochs);
    }

    /** {@code --ycsbt-epoch-size <requests>} */
    Settings withEpochSize(int size) {
      return new Settings(distributions, new EpochOptions(size, epochs.maxDelay()));
    }

    /** {@code --ycsbt-epoch-ms <ms>} */
    Settings withEpochDelay(long millis) {
      return new Settings(distributions, new EpochOptions(epochs.maxSize(), Duration.ofMillis(millis)));
    }
  }

  private final Benchmarks benchmarks;
  private final Settings settings;
  private final long n;

  YcsbtWorkload(Benchmarks benchmarks, Settings settings, long n) {
    if (benchmarks == null || settings == null || n < 1) {
      throw new IllegalArgumentException("ycsbt needs its benchmarks, settings and n >= 1");
    }
    this.benchmarks = benchmarks;
    this.settings = settings;
    this.n = n;
  }

  List<Result> run(String backend) throws Exception {
    List<Result> results = new ArrayList<>();
    for (Distribution distribution : settings.distributions()) {
      results.addAll(run(backend, distribution));
    }
    return results;
  }

  private List<Result> run(String backend, Distribution distribution) throws Exception {
    Transfers transfers = new Transfers(distribution, Transfers.SEED);
    String label = distribution.label();
    long warm = benchmarks.options().jobWarmupOf(n);
    long items = Benchmarks.jobItems(warm, n);

    StreamExecutionEnvironment peakEnv = benchmarks.environment(backend);
    transactional(peakEnv, transfers, items, 0);
    Timing peak = Benchmarks.run(peakEnv, "ycsbt peak", warm, n, 0, Probe::invocations);
    double abortedShare = abortedShare();

    StreamExecutionEnvironment plainEnv = benchmarks.environment(backend);
    plain(plainEnv, transfers, items, 0);
    Timing plainPeak = Benchmarks.run(plainEnv, "ycsbt plain peak", warm, n, 0, Probe::invocations);
    double plainAbortedShare = abortedShare();

    double rate = peak.rate() / 2;
    long latencyN = Math.max(n, Math.round(rate * LATENCY_SPAN.toSeconds() * n / N));
    long latencyItems = Benchmarks.jobItems(warm, latencyN);
    StreamExecutionEnvironment latencyEnv = benchmarks.environment(backend);
    transactional(latencyEnv, transfers, latencyItems, rate);
    Timing latency =
        Benchmarks.run(
            latencyEnv, "ycsbt latency", warm, latencyN, (int) latencyItems, Probe::invocations);
    String latencies = latencies(latency, rate, latencyN);

    StreamExecutionEnvironment plainLatencyEnv = benchmarks.environment(backend);
    plain(plainLatencyEnv, transfers, latencyItems, rate);
    Timing plainLatency =
        Benchmarks.run(
            plainLatencyEnv,
            "ycsbt plain latency",
            warm,
            latencyN,
            (int) latencyItems,
            Probe::invocations);
    String plainLatencies = latencies(plainLatency, rate, latencyN);

    String epochs =
        String.format(
            Locale.ROOT,
            "epoch_size=%d epoch_ms=%d",
            settings.epochs().maxSize(),
            settings.epochs().maxDelay().toMillis());
    return List.of(
        benchmarks.emit(
            new Result(
                "ycsbt-" + label,
                backend,
                n,
                peak,
                String.format(
                    Locale.ROOT,
                    "ratio=%.2f aborted=%.4f %s",
                    peak.rate() / plainPeak.rate(),
                    abortedShare,
                    epochs))),
        benchmarks.emit(
            new Result(
                "ycsbt-" + label + "-latency", backend, latencyN, latency, latencies + " " + epochs)),
        benchmarks.emit(
            new Result(
                "ycsbt-plain-" + label,
                backend,
                n,
                plainPeak,
                String.format(Locale.ROOT, "ratio=1.00 aborted=%.4f", plainAbortedShare))),
        benchmarks.emit(
            new Result(
                "ycsbt-plain-" + label + "-latency",
                backend,
                latencyN,
                plainLatency,
                plainLatencies)));
  }

  /** The share of the last job's transfers that ended without effect. */
  private static double abortedShare() {
    long done = Probe.invocations();
    return done == 0 ? 0 : (double) Probe.aborts() / done;
  }


  /**
   * The latencies in the order the answers came, as mean/max ms per block of {@value #TRACE_BLOCK}
   * answers: a pause (a checkpoint's, a collector's) shows as a run of high blocks, a queue that
   * grows as blocks that keep rising.
   */
  private static String trace(long[] latencies) {
    StringBuilder trace =
        new StringBuilder("latency trace, mean/max ms per " + TRACE_BLOCK + " answers:");
    for (int start = 0; start + TRACE_BLOCK <= latencies.length; start += TRACE_BLOCK) {
      long sum = 0;
      long max = 0;
      for (int i = start; i < start + TRACE_BLOCK; i++) {
        sum += latencies[i];
        max = Math.max(max, latencies[i]);
      }
      trace.append(' ').append(sum / TRACE_BLOCK / 1_000_000).append('/').append(max / 1_000_000);
    }
    return trace.toString();
  }

  /**
   * The latencies of a run's measured transfers, without the first tenth of them (the job's pace
   * settling after the warm-up): their trace, then their quantiles.
   */
  private String latencies(Timing timing, double rate, long measured) {
    long[] sorted = Probe.latencies((int) (timing.latenciesBeforeStart() + measured / 10));
    benchmarks.comment(trace(sorted));
    Arrays.sort(sorted);
    return String.format(
        Locale.ROOT,
        "offered_per_s=%.0f samples=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f",
        rate,
        sorted.length,
        Probe.quantile(sorted, 0.50) / 1e6,
        Probe.quantile(sorted, 0.99) / 1e6,
        Probe.quantile(sorted, 1.0) / 1e6);
  }

  /**
   * generator (2 subtasks, {@code perSecond} in all, 0: full speed) → transactions (1 subtask) →
   * answer sink chained to them.
   */
  private void transactional(
      StreamExecutionEnvironment env, Transfers transfers, long items, double perSecond) {
    env.getConfig().enableObjectReuse();
    SingleOutputStreamOperator<TransactionRequest> requests =
        env.fromSource(
                new DataGeneratorSource<>(
                    new YcsbtGenerators.Requests(transfers, perSecond / Addresses.PARALLELISM),
                    items,
                    RateLimiterStrategy.noOp(),
                    Transactions.REQUEST_TYPE),
                WatermarkStrategy.noWatermarks(),
                "generator")
            .uid("bench-generator")
            .setBufferTimeout(
                env.getConfiguration().get(StateweaveOptions.BUFFER_TIMEOUT).toMillis());
    Transactions.execute(requests, YcsbtAccounts.PROVIDER, settings.epochs())
        .sinkTo(new AnswerSink())
        .setParallelism(1)
        .name("answers");
  }

  /** The runtime's graph with {@link PlainAccountFunction}, fed by the same transfers. */
  private static void plain(
      StreamExecutionEnvironment env, Transfers transfers, long items, double perSecond) {
    Jobs.stateweave(
            env,
            new YcsbtGenerators.PlainTransfers(transfers, perSecond / Addresses.PARALLELISM),
            items,
            PlainAccountFunction.TYPE,
            PlainAccountFunction.class,
            Set.of());
  }
}
