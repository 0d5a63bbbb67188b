package io.stateweave.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.egress.CollectedEgress;
import io.stateweave.flink.module.ModuleLoader;
import io.stateweave.flink.translation.ModuleTranslator;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.types.Types;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The examples as a user runs them: from a module.yaml, on a Flink MiniCluster. */
class ExamplesJobTest {
  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static JobClient job;

  @BeforeAll
  static void runExamples() throws Exception {
    CollectedEgress.clear();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    // One subtask: every record of the generator reaches its function in the generator's order.
    env.setParallelism(1);
    env.enableCheckpointing(100);
    ModuleTranslator.translate(env, ModuleLoader.load("classpath:examples-test.yaml"));
    job = env.executeAsync("examples");
  }

  @AfterAll
  static void stop() throws Exception {
    job.cancel().get();
  }

  @Test
  void greeterAnswersEachUserByHowOftenItSawThem() throws Exception {
    List<String> greetings = await(Greeter.GREETINGS, 8);
    // "Hello Seth" comes from the caller's ingress and may fall anywhere in between.
    assertThat(greetings.stream().filter(greeting -> !greeting.equals("Hello Seth")))
        .containsExactly(
            "Hello Alice",
            "Hello Bob",
            "Hello again!",
            "Third time's the charm",
            "Hello again!",
            "Hello for the 4th time",
            "Hello for the 5th time");
  }

  @Test
  void callerGreetsUser1ThroughTheGreeter() throws Exception {
    assertThat(await(Greeter.GREETINGS, 8)).contains("Hello Seth");
  }

  @Test
  void delayedReminderArrivesAfterItsDelayAndTheCancelledOneNever() throws Exception {
    List<String> reminders = await(Reminder.REMINDERS, 1);
    assertThat(reminders).hasSize(1);
    String reminder = reminders.get(0);
    assertThat(reminder).startsWith("Reminder for kept after ");
    long elapsed = Long.parseLong(reminder.replaceAll("\\D+", " ").trim());
    assertThat(elapsed).isGreaterThanOrEqualTo(1500);

    Thread.sleep(2_500); // well past the cancelled reminder's due time
    assertThat(texts(Reminder.REMINDERS)).containsExactly(reminder);
  }

  private static List<String> await(TypeName egress, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (texts(egress).size() < count) {
      assertThat(System.nanoTime()).as("%d records on %s", count, egress).isLessThan(deadline);
      Thread.sleep(50);
    }
    return texts(egress);
  }

  private static List<String> texts(TypeName egress) {
    return CollectedEgress.records(egress).stream()
        .map(value -> Types.STRING.deserialize(value.bytes()))
        .collect(Collectors.toList());
  }
}
