package io.stateweave.bench;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Keeps the runtime's histograms of remote calls ({@code stateweave.function.<type>.batchSize} and
 * {@code requestLatencyMs}, one of each per subtask) and its {@code invocations} counters (the
 * remote workload binds no embedded function, whose counters would be named alike) for the
 * benchmark to read: the MiniCluster
 * runs in the benchmark's JVM, so the reporter's statics are the benchmark's. Registered only in
 * the remote workload's configuration ({@link Jobs#withRemoteMetrics}).
 */
public final class RemoteMetrics implements MetricReporter {
  static final String NAME = "benchremote";
  private static final List<Histogram> BATCH_SIZES = new CopyOnWriteArrayList<>();
  private static final List<Histogram> LATENCIES = new CopyOnWriteArrayList<>();
  private static final List<Counter> INVOCATIONS = new CopyOnWriteArrayList<>();

  /** Forgets the histograms of the last run's jobs. */
  static void reset() {
    BATCH_SIZES.clear();
    LATENCIES.clear();
    INVOCATIONS.clear();
  }

  /** Messages delivered to remote functions, by every subtask's dispatcher. */
  static long invocations() {
    long sum = 0;
    for (Counter counter : INVOCATIONS) {
      sum += counter.getCount();
    }
    return sum;
  }

  static List<Histogram> batchSizes() {
    return List.copyOf(BATCH_SIZES);
  }

  static List<Histogram> latencies() {
    return List.copyOf(LATENCIES);
  }

  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {}

  @Override
  public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
    if (!group.getMetricIdentifier(metricName).contains(".stateweave.function.")) {
      return;
    }
    if (metric instanceof Counter counter && metricName.equals("invocations")) {
      INVOCATIONS.add(counter);
    }
    if (!(metric instanceof Histogram histogram)) {
      return;
    }
    switch (metricName) {
      case "batchSize" -> BATCH_SIZES.add(histogram);
      case "requestLatencyMs" -> LATENCIES.add(histogram);
      default -> {
        // other histograms are not the benchmark's business
      }
    }
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {}

  /** Named in the remote workload's MiniCluster configuration. */
  public static final class Factory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
      return new RemoteMetrics();
    }
  }
}
