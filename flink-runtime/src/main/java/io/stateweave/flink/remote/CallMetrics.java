package io.stateweave.flink.remote;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The HTTP client's metrics of one remote function type, in the group {@code
 * remoteFunction.<type>}: call latency (ms, per attempt), retries and calls given up. Updated from
 * the HTTP client's threads, hence thread-safe.
 */
final class CallMetrics {
  static final String GROUP = "remoteFunction";
  private static final int HISTOGRAM_WINDOW = 1000;

  private final Histogram latency;
  private final Counter retries;
  private final Counter failures;

  CallMetrics(MetricGroup operatorGroup, String functionType) {
    MetricGroup group = operatorGroup.addGroup(GROUP, functionType);
    this.latency =
        group.histogram("requestLatencyMs", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    this.retries = group.counter("retries", new ThreadSafeSimpleCounter());
    this.failures = group.counter("failures", new ThreadSafeSimpleCounter());
  }

  void latency(long millis) {
    synchronized (latency) {
      latency.update(millis);
    }
  }

  void retry() {
    retries.inc();
  }

  void failure() {
    failures.inc();
  }
}
