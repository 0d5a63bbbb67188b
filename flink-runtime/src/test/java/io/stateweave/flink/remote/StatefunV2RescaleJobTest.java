package io.stateweave.flink.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.stateweave.flink.dispatcher.ModuleJobs;
import io.stateweave.flink.egress.CollectedEgress;
import io.stateweave.flink.remote.v2.examples.Count;
import io.stateweave.sdk.TypeName;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A StateFun 2.x application stops with a savepoint while calls of its function are in flight,
 * and resumes from it at another parallelism: each address's 2.x state (declared in the module,
 * packed in {@code Any}) moves with its key group, the messages of the calls in flight at the
 * savepoint are delivered once after the resume, and every count is reported exactly once.
 */
final class StatefunV2RescaleJobTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(3)
              .build());

  static final TypeName OUT = TypeName.parse(SeedFunctionsV2.OUT);
  private static final int IDS = 12;
  private static final int PER_ID = 25;
  private static final int TOTAL = IDS * PER_ID;

  @TempDir Path savepoints;

  @AfterEach
  void clear() {
    CollectedEgress.clear();
  }

  @ParameterizedTest(name = "parallelism {0} -> {1}")
  @CsvSource({"2, 3", "3, 1"})
  void aV2ApplicationResumesFromASavepointAtAnotherParallelismCountingEachMessageOnce(
      int before, int after) throws Exception {
    CollectedEgress.clear();
    PythonSdkV2 functions =
        PythonSdkV2.functions()
            .bind(
                "v2/counter",
                (context, message) -> {
                  Thread.sleep(100); // calls in flight, and batches behind them, at the savepoint
                  Any state = context.get("count");
                  int count = state == null ? 1 : state.unpack(Count.class).getValue() + 1;
                  context.set("count", Any.pack(Count.newBuilder().setValue(count).build()));
                  SeedFunctionsV2.out(context, context.address().getId(), "n=" + count);
                });
    try (PythonSdkV2Server server = PythonSdkV2Server.start(functions)) {
      Map<String, String> files = module(server.url("/statefun"));
      JobClient first = ModuleJobs.start(files, new Configuration(), before);
      String savepoint;
      try {
        StatefunV2JobTest.await(OUT, TOTAL / 3, StatefunV2JobTest::greeting);
        savepoint =
            first
                .stopWithSavepoint(
                    false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get();
      } catch (Exception e) {
        first.cancel().get();
        throw e;
      }
      int beforeSavepoint = CollectedEgress.records(OUT).size();
      assertThat(beforeSavepoint).as("counts reported before the savepoint").isLessThan(TOTAL);

      Configuration resume = new Configuration();
      resume.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
      JobClient second = ModuleJobs.start(files, resume, after);
      try {
        StatefunV2JobTest.await(OUT, TOTAL, StatefunV2JobTest::greeting);
        Thread.sleep(1000); // a count reported twice would show up by now
      } finally {
        second.cancel().get();
      }
    }
    List<String> counts = StatefunV2JobTest.await(OUT, TOTAL, StatefunV2JobTest::greeting);
    assertThat(countsById(counts)).isEqualTo(expectedCounts());
  }

  /** The 2.x function's module as StateFun 2.0 wrote it, and a generator cycling over the ids. */
  private static Map<String, String> module(String endpoint) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put(
        "statefun-2.0/module.yaml",
        """
        version: "1.0"
        module:
          meta: {type: remote}
          spec:
            functions:
              - function:
                  meta: {kind: http, type: v2/counter}
                  spec: {endpoint: %s, states: [count]}
        """
            .formatted(endpoint));
    String records =
        IntStream.range(0, IDS)
            .mapToObj(i -> "{id: c" + i + ", value: tick}")
            .reduce((a, b) -> a + ", " + b)
            .orElseThrow();
    files.put(
        "stateweave.yaml",
        """
        kind: io.stateweave.ingress.v1/generator
        spec:
          id: test/in
          targets: [v2/counter]
          records: [%s]
          count: %d
          ratePerSecond: 100
        ---
        kind: io.stateweave.egress.v1/collecting
        spec:
          id: test/out
        """
            .formatted(records, TOTAL));
    return files;
  }

  private static Map<String, List<String>> countsById(List<String> reports) {
    Map<String, List<String>> byId = new TreeMap<>();
    for (String report : reports) {
      int colon = report.indexOf(": ");
      byId.computeIfAbsent(report.substring(0, colon), id -> new ArrayList<>())
          .add(report.substring(colon + 2));
    }
    return byId;
  }

  private static Map<String, List<String>> expectedCounts() {
    Map<String, List<String>> expected = new TreeMap<>();
    for (int i = 0; i < IDS; i++) {
      expected.put(
          "c" + i, IntStream.rangeClosed(1, PER_ID).mapToObj(n -> "n=" + n).toList());
    }
    return expected;
  }
}
