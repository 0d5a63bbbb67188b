package io.stateweave.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the benchmarks alive in the normal build: one tiny run of each workload (heap backend, no
 * warm-up). The numbers mean nothing at this size; the real runs are in docs/benchmarks.md.
 */
class BenchmarksSmokeTest {
  @TempDir Path checkpoints;

  @Test
  void everyWorkloadRunsAndReportsALine() throws Exception {
    List<String> lines = new ArrayList<>();
    Benchmarks.Options options =
        Benchmarks.Options.parse(
            new String[] {
              "--workloads",
              "count,chain,delay",
              "--backends",
              "hashmap",
              "--scale",
              "0.005",
              "--no-warmup"
            });
    List<Benchmarks.Result> results = new Benchmarks(options, lines::add, checkpoints).runAll();

    assertThat(results)
        .extracting(Benchmarks.Result::workload)
        .containsExactly("count-baseline", "count", "chain", "chain-latency", "delay");
    assertThat(results).allSatisfy(result -> assertThat(result.rate()).isPositive());
    assertThat(lines)
        .hasSize(5)
        .allSatisfy(
            line ->
                assertThat(line)
                    .matches("workload=\\S+ backend=hashmap n=\\d+ seconds=\\S+ rate=\\d+.*"));
    assertThat(lines.get(1)).containsPattern("ratio=\\d+\\.\\d\\d");
    assertThat(lines.get(3)).containsPattern("p50_ms=\\S+ p99_ms=\\S+");
  }

  @Test
  void machineLineNamesTheCores() {
    assertThat(Benchmarks.machine()).startsWith("# machine: cores=");
  }
}
