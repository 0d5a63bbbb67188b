package io.stateweave.bench;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The chain workload as a Flink program for a standalone cluster ({@code flink run}, with the job
 * jar for the runtime and this module's classes on {@code -C}): endless chains at full speed, at
 * parallelism 2, checkpointed as the MiniCluster runs are. {@link ClusterChainBenchmark} submits it
 * and measures it through the cluster's REST API.
 */
public final class ClusterChainProgram {
  // far more than a run takes: the job is cancelled once measured
  static final long CHAINS = 1_000_000_000L;

  private ClusterChainProgram() {}

  public static void main(String[] args) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(Addresses.PARALLELISM);
    env.setMaxParallelism(Addresses.MAX_PARALLELISM);
    env.enableCheckpointing(Jobs.CHECKPOINT_INTERVAL.toMillis());
    Jobs.chain(env, CHAINS, 0);
    env.execute("chain on a standalone cluster");
  }
}
