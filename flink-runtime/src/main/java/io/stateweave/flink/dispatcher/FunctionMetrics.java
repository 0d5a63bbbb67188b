package io.stateweave.flink.dispatcher;

import io.stateweave.flink.ingress.IngressRouter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The metrics of one function type in one dispatcher subtask, in the group {@code
 * stateweave.function.<type>}: what its invocations sent (messages, egress records) and how many of
 * its delayed messages are pending, for embedded and remote types alike; for an embedded type also
 * its invocations and their time. A remote type's invocations and calls are counted by the remote
 * functions' own metrics in the same group.
 *
 * <p>Everything here is counted on the task thread in plain fields; reporters read them from their
 * own thread and may see a value a moment old.
 */
final class FunctionMetrics {
  /** The group of Stateweave's metrics below an operator's, the same on every operator. */
  static final String STATEWEAVE_GROUP = IngressRouter.METRIC_GROUP;

  /** The key of the group of a function type's metrics; its value is the type name. */
  static final String FUNCTION_GROUP = "function";

  /**
   * One invocation in this many is timed, the first one included, so that a rarely invoked type
   * shows a time too; timing every invocation would read the clock twice per message.
   */
  static final int TIMING_SAMPLE_RATE = 64;

  private static final int HISTOGRAM_WINDOW = 1000;

  private final SimpleCounter invocations;
  private final Histogram invocationTime;
  private final SimpleCounter messagesSent;
  private final SimpleCounter egressRecords;
  private long delayedMessagesPending;

  private FunctionMetrics(MetricGroup typeGroup, boolean embedded) {
    if (embedded) {
      invocations = typeGroup.counter("invocations", new SimpleCounter());
      invocationTime =
          typeGroup.histogram(
              "invocationTimeNs", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    } else {
      invocations = null;
      invocationTime = null;
    }
    messagesSent = typeGroup.counter("messagesSent", new SimpleCounter());
    egressRecords = typeGroup.counter("egressRecords", new SimpleCounter());
    typeGroup.gauge("delayedMessagesPending", (Gauge<Long>) () -> delayedMessagesPending);
  }

  /** The group of a function type's metrics below the operator's Stateweave group. */
  static MetricGroup typeGroup(MetricGroup stateweaveGroup, String functionType) {
    return stateweaveGroup.addGroup(FUNCTION_GROUP, functionType);
  }

  static FunctionMetrics embedded(MetricGroup typeGroup) {
    return new FunctionMetrics(typeGroup, true);
  }

  static FunctionMetrics remote(MetricGroup typeGroup) {
    return new FunctionMetrics(typeGroup, false);
  }

  /** Counts an invocation of an embedded type; true if this one is to be timed. */
  boolean invoked() {
    invocations.inc();
    return invocations.getCount() % TIMING_SAMPLE_RATE == 1;
  }

  void invocationTook(long nanos) {
    invocationTime.update(nanos);
  }

  void sent() {
    messagesSent.inc();
  }

  void egressed() {
    egressRecords.inc();
  }

  void delayedMessageAdded() {
    delayedMessagesPending++;
  }

  /** A delayed message fell due or was cancelled. */
  void delayedMessageRemoved() {
    delayedMessagesPending--;
  }
}
