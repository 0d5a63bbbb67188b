package io.stateweave.flink.kafka;

import io.stateweave.flink.ingress.IngressRouter;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/** Keeps the counters of one name that jobs on the MiniCluster register, for tests to read. */
public final class CapturingReporter implements MetricReporter {
  static final List<Counter> BAD_RECORDS = new CopyOnWriteArrayList<>();
  private static final String BAD_RECORDS_IDENTIFIER =
      "." + IngressRouter.METRIC_GROUP + "." + IngressRouter.BAD_RECORDS_METRIC;

  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {}

  @Override
  public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
    if (group.getMetricIdentifier(metricName).endsWith(BAD_RECORDS_IDENTIFIER)) {
      BAD_RECORDS.add((Counter) metric);
    }
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {}

  static long badRecords() {
    return BAD_RECORDS.stream().mapToLong(Counter::getCount).sum();
  }

  /** Named in the MiniCluster's configuration. */
  public static final class Factory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
      return new CapturingReporter();
    }
  }
}
