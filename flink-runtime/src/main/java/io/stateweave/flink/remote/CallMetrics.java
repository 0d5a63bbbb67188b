package io.stateweave.flink.remote;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The metrics of one remote function type, in its group {@code stateweave.function.<type>} beside
 * what the dispatcher counts for every type: messages delivered ({@code invocations}) and messages
 * per call ({@code batchSize}), counted on the task thread; call latency (ms, per attempt), retries
 * and calls given up, counted on the transport's event loop, hence thread-safe.
 */
final class CallMetrics {
  private static final int HISTOGRAM_WINDOW = 1000;

  private final Counter invocations;
  private final Histogram batchSizes;
  private final Histogram latency;
  private final Counter retries;
  private final Counter failures;

  CallMetrics(MetricGroup typeGroup) {
    this.invocations = typeGroup.counter("invocations", new SimpleCounter());
    this.batchSizes =
        typeGroup.histogram("batchSize", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    this.latency =
        typeGroup.histogram(
            "requestLatencyMs", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    this.retries = typeGroup.counter("retries", new ThreadSafeSimpleCounter());
    this.failures = typeGroup.counter("failures", new ThreadSafeSimpleCounter());
  }

  void invoked(int messages) {
    invocations.inc(messages);
  }

  void called(int batchSize) {
    batchSizes.update(batchSize);
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
