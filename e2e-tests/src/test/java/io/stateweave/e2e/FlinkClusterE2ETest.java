package io.stateweave.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.testinfra.flink.FlinkCluster;
import io.stateweave.testinfra.flink.JobId;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The job jar on a real standalone cluster (a JobManager and a TaskManager JVM), submitted with
 * Flink's CLI: it runs, checkpoints, survives a SIGKILLed TaskManager, stops with a savepoint and
 * resumes from it at another parallelism.
 */
class FlinkClusterE2ETest {
  static final String MAIN_CLASS = "io.stateweave.jobs.StateweaveJob";
  /** Short checkpoints, so that the test does not wait on the job's 10s default. */
  static final List<String> JOB_ARGS =
      List.of("--module", "classpath:module.yaml", "-Dexecution.checkpointing.interval=2s");
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void jobRunsRecoversFromAKilledTaskManagerAndResumesFromASavepoint() throws IOException {
    Path jar = jobJar();
    // Kept under target/ (not a @TempDir) so that a failed run leaves its cluster logs behind.
    Path workDir =
        Path.of("target", "flink-cluster-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss-SSS")))
            .toAbsolutePath();

    long t0 = System.nanoTime();
    try (FlinkCluster cluster = FlinkCluster.start(workDir, 1, 2, Map.of())) {
      log("cluster up", t0);

      long t1 = System.nanoTime();
      JobId job = cluster.submit(jar, MAIN_CLASS, JOB_ARGS, 2, null);
      log("submitted " + job, t1);
      cluster.awaitStatus(job, "RUNNING", TIMEOUT);
      cluster.awaitTasksRunning(job, TIMEOUT);
      cluster.awaitCompletedCheckpoints(job, 1, TIMEOUT);
      log("running, first checkpoint", t1);

      // The greeter's stdout egress prints in the TaskManager's .out file.
      awaitOutput(cluster.taskManagerStdout(0), "Hello Alice", "Third time's the charm");

      long t2 = System.nanoTime();
      int failuresBefore = cluster.failureCount(job);
      assertThat(cluster.killTaskManager(0)).as("exit code of a SIGKILLed JVM").isEqualTo(137);
      await("the JobManager to notice the lost TaskManager", () -> cluster.failureCount(job) > failuresBefore);
      log("TaskManager loss noticed", t2);
      int checkpointsBefore = cluster.completedCheckpoints(job);
      cluster.startTaskManager();
      cluster.awaitTasksRunning(job, TIMEOUT);
      cluster.awaitCompletedCheckpoints(job, checkpointsBefore + 1, TIMEOUT);
      assertThat(cluster.jobStatus(job)).isEqualTo("RUNNING");
      log("recovered on a new TaskManager, new checkpoint", t2);

      long t3 = System.nanoTime();
      String savepoint = cluster.stopWithSavepoint(job, workDir.resolve("stopped"));
      assertThat(Path.of(URI.create(savepoint))).isDirectory().isNotEmptyDirectory();
      cluster.awaitStatus(job, "FINISHED", TIMEOUT);
      log("stopped with savepoint " + savepoint, t3);

      long t4 = System.nanoTime();
      JobId resumed = cluster.submit(jar, MAIN_CLASS, JOB_ARGS, 1, savepoint);
      cluster.awaitStatus(resumed, "RUNNING", TIMEOUT);
      cluster.awaitTasksRunning(resumed, TIMEOUT);
      log("resumed from the savepoint at parallelism 1", t4);
    }
    log("whole test", t0);
  }

  private static Path jobJar() {
    Path jar = Path.of(System.getProperty("stateweave.jobJar", "../jobs/target/stateweave-jobs-0.1.0-SNAPSHOT.jar"));
    assertThat(jar).as("the job jar (mvn -pl jobs -am package builds it)").isRegularFile();
    return jar;
  }

  private static void awaitOutput(Path stdout, String... lines) {
    await(
        "the greetings in " + stdout,
        () -> {
          try {
            String text = Files.exists(stdout) ? Files.readString(stdout) : "";
            for (String line : lines) {
              if (!text.contains(line)) {
                return false;
              }
            }
            return true;
          } catch (IOException e) {
            throw new AssertionError("cannot read " + stdout, e);
          }
        });
  }

  private static void await(String what, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + TIMEOUT + " waiting for " + what);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  private static void log(String what, long since) {
    System.out.printf("[e2e] %s after %.1fs%n", what, (System.nanoTime() - since) / 1e9);
  }
}
