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
              "count,chain,delay,remote,remote-sdk",
              "--backends",
              "hashmap",
              "--scale",
              "0.005",
              "--no-warmup"
            });
    List<Benchmarks.Result> results = new Benchmarks(options, lines::add, checkpoints).runAll();

    assertThat(results)
        .extracting(Benchmarks.Result::workload)
        .containsExactly(
            "count-baseline", "count", "chain", "chain-latency", "delay", "remote", "remote-sdk");
    assertThat(results).allSatisfy(result -> assertThat(result.rate()).isPositive());
    List<String> resultLines = lines.stream().filter(l -> l.startsWith("workload=")).toList();
    assertThat(resultLines)
        .hasSize(7)
        .allSatisfy(
            line ->
                assertThat(line)
                    .matches(
                        "workload=\\S+ backend=hashmap n=\\d+ seconds=\\S+ rate=\\d+"
                            + " cpu_us=\\d+\\.\\d{3} alloc_b=\\d+.*"));
    assertThat(resultLines.get(1)).containsPattern("ratio=\\d+\\.\\d\\d");
    assertThat(resultLines.get(3)).containsPattern("p50_ms=\\S+ p99_ms=\\S+");
    // the remote calls were seen through the runtime's metrics
    assertThat(resultLines.get(5))
        .containsPattern("calls=[1-9]\\d* ")
        .containsPattern("batch_max=[1-9]\\d* ")
        .containsPattern("latency_samples=[1-9]\\d* latency_p50_ms=\\d+ latency_p99_ms=\\d+");
    // the official SDK's server process was called, and its CPU read
    assertThat(resultLines.get(6))
        .containsPattern("server_cpu_us=\\d+\\.\\d ")
        .containsPattern("invocations_per_call=\\d+\\.\\d\\d ");
    // each result is followed by the JIT's and the collectors' time and the checkpoints begun in
    // its measured interval and by the CPU of the run's threads in it, the dispatcher's per subtask
    assertThat(lines).hasSize(21);
    assertThat(lines.get(4))
        .matches(
            "# warm-up items=\\d+, then in the measured interval: jit_ms=\\d+ gc_ms=\\d+"
                + " checkpoints=\\d+");
    // in so short an interval a busy machine may give one of the two subtasks no measurable time
    assertThat(lines.get(5))
        .startsWith("# cpu_s by thread:")
        .containsPattern("\\[functions [12]\\]=");
  }

  @Test
  void processorCountsAgainstTheHandWrittenCountOnBothBackends() throws Exception {
    List<String> lines = new ArrayList<>();
    Benchmarks.Options options =
        Benchmarks.Options.parse(
            new String[] {
              "--workloads", "processor", "--backends", "hashmap,rocksdb", "--scale", "0.005",
              "--no-warmup"
            });
    List<Benchmarks.Result> results = new Benchmarks(options, lines::add, checkpoints).runAll();

    assertThat(results)
        .extracting(r -> r.workload() + "/" + r.backend())
        .containsExactly(
            "processor-baseline/hashmap",
            "processor/hashmap",
            "processor-baseline/rocksdb",
            "processor/rocksdb");
    assertThat(results).allSatisfy(result -> assertThat(result.rate()).isPositive());
    assertThat(lines.stream().filter(l -> l.startsWith("workload=processor ")))
        .hasSize(2)
        .allSatisfy(line -> assertThat(line).containsPattern(" ratio=\\d+\\.\\d\\d"));
  }

  @Test
  void ycsbtMeasuresTransactionsAgainstPlainMessages() throws Exception {
    List<String> lines = new ArrayList<>();
    Benchmarks.Options options =
        Benchmarks.Options.parse(
            new String[] {
              "--workloads", "ycsbt", "--backends", "hashmap", "--scale", "0.005", "--no-warmup",
              "--ycsbt-distributions", "zipf", "--ycsbt-epoch-size", "100"
            });
    List<Benchmarks.Result> results = new Benchmarks(options, lines::add, checkpoints).runAll();

    assertThat(results)
        .extracting(Benchmarks.Result::workload)
        .containsExactly(
            "ycsbt-zipf", "ycsbt-zipf-latency", "ycsbt-plain-zipf", "ycsbt-plain-zipf-latency");
    assertThat(results).allSatisfy(result -> assertThat(result.rate()).isPositive());
    List<String> resultLines = lines.stream().filter(l -> l.startsWith("workload=")).toList();
    assertThat(resultLines.get(0))
        .containsPattern(" ratio=\\d+\\.\\d\\d aborted=0\\.\\d{4} epoch_size=100 epoch_ms=10$");
    assertThat(List.of(resultLines.get(1), resultLines.get(3)))
        .allSatisfy(
            line ->
                assertThat(line)
                    .containsPattern(
                        " offered_per_s=[1-9]\\d* samples=[1-9]\\d* p50_ms=\\d+\\.\\d\\d"
                            + " p99_ms=\\d+\\.\\d\\d max_ms="));
  }

  @Test
  void machineLineNamesTheCores() {
    assertThat(Benchmarks.machine()).startsWith("# machine: cores=");
  }
}
