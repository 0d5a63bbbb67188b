package io.stateweave.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The library example: a program's stream through functions into the program's own sink. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CountingProgramTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @Test
  void eachVisitorsVisitsAreCountedInOrder() throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    env.enableCheckpointing(200);
    CloseableIterator<String> counts =
        CountingProgram.countVisits(env, env.fromData("ada", "grace", "ada", "ada", "grace"))
            .collectAsync();
    JobClient job = env.executeAsync("counting program");
    List<String> collected = new ArrayList<>();
    try {
      while (collected.size() < 5 && counts.hasNext()) {
        collected.add(counts.next());
      }
    } finally {
      job.cancel().get();
      counts.close();
    }
    assertThat(collected)
        .containsExactlyInAnyOrder("ada 1", "ada 2", "ada 3", "grace 1", "grace 2");
    assertThat(collected.stream().filter(count -> count.startsWith("ada")))
        .containsExactly("ada 1", "ada 2", "ada 3");
  }
}
