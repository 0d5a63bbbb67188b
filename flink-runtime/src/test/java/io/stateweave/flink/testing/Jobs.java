package io.stateweave.flink.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.checkpoint.CheckpointStatsCounts;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionJobVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Looks into jobs running on a MiniCluster, without REST. */
public final class Jobs {
  private Jobs() {}

  /**
   * An environment for a test job on the MiniCluster, with Kryo switched off: a record type that
   * would fall back to it fails the job instead.
   */
  public static StreamExecutionEnvironment environment(Configuration conf) {
    Configuration withoutKryo = new Configuration(conf);
    withoutKryo.set(PipelineOptions.GENERIC_TYPES, false);
    return StreamExecutionEnvironment.getExecutionEnvironment(withoutKryo);
  }

  public static StreamExecutionEnvironment environment() {
    return environment(new Configuration());
  }

  /** Polls until the condition holds; fails the test after the timeout, naming what it awaited. */
  public static void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  public static AccessExecutionGraph graph(MiniCluster cluster, JobID job) {
    return cluster.getExecutionGraph(job).join();
  }

  /** The aggregate state of the (single) job vertex whose name contains the given text. */
  public static ExecutionState vertexState(MiniCluster cluster, JobID job, String nameContains) {
    AccessExecutionJobVertex found = null;
    for (AccessExecutionJobVertex vertex : graph(cluster, job).getVerticesTopologically()) {
      if (vertex.getName().contains(nameContains)) {
        if (found != null) {
          throw new AssertionError("more than one vertex named like '" + nameContains + "'");
        }
        found = vertex;
      }
    }
    if (found == null) {
      throw new AssertionError("no vertex named like '" + nameContains + "'");
    }
    return found.getAggregateState();
  }

  public static long completedCheckpoints(MiniCluster cluster, JobID job) {
    return checkpointCounts(cluster, job).getNumberOfCompletedCheckpoints();
  }

  public static long restoredCheckpoints(MiniCluster cluster, JobID job) {
    return checkpointCounts(cluster, job).getNumberOfRestoredCheckpoints();
  }

  private static CheckpointStatsCounts checkpointCounts(MiniCluster cluster, JobID job) {
    return graph(cluster, job).getCheckpointStatsSnapshot().getCounts();
  }
}
