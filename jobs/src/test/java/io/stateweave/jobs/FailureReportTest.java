package io.stateweave.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutionException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.JobException;
import org.apache.flink.runtime.client.JobExecutionException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** What a local run prints when its job fails for good. */
class FailureReportTest {
  @Test
  void theCauseUnderFlinksWrappersItsCausesTheHintAndWhyFlinkStopped() {
    Throwable failure =
        new ExecutionException(
            new JobExecutionException(
                new JobID(),
                "Job execution failed.",
                new JobException(
                    "Recovery is suppressed by FixedDelayRestartBackoffTimeStrategy"
                        + "(maxNumberRestartAttempts=3, backoffTimeMS=1000)",
                    new IllegalStateException(
                        "Cannot read the topic events",
                        new TimeoutException(
                            "Timed out waiting for a node assignment. Call: describeTopics")))));

    assertThat(FailureReport.of(failure))
        .isEqualTo(
            """
            stateweave: the job failed: IllegalStateException: Cannot read the topic events
              caused by TimeoutException: Timed out waiting for a node assignment. Call: \
            describeTopics
              hint: a Kafka client failed: check the broker address of the module's Kafka \
            ingress or egress, and that its topics exist (tools/kafka/kafka.sh).
              Flink did not restart it again: FixedDelayRestartBackoffTimeStrategy\
            (maxNumberRestartAttempts=3, backoffTimeMS=1000)""");
  }

  @Test
  void aCauseWithoutAHintIsReportedAsItIs() {
    Throwable failure =
        new ExecutionException(new IllegalStateException("the disk is full", null));

    assertThat(FailureReport.of(failure))
        .isEqualTo("stateweave: the job failed: IllegalStateException: the disk is full");
  }
}
