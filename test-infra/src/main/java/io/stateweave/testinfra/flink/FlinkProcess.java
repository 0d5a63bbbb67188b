package io.stateweave.testinfra.flink;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One JVM of the cluster (the JobManager or a TaskManager) and its log files. */
final class FlinkProcess {
  private final String name;
  private final Process process;
  private final Path log;
  private final Path out;

  FlinkProcess(String name, Process process, Path log, Path out) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.out = out;
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  /** The CPU time the JVM has used so far; zero once it has exited. */
  Duration cpuTime() {
    if (!process.isAlive()) {
      return Duration.ZERO;
    }
    return process.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Its Log4j file and its stdout file. */
  List<Path> logFiles() {
    return List.of(log, out);
  }

  /** Both log files' tails, for error messages. */
  String logTails() {
    return LogTail.of(log) + LogTail.of(out);
  }

  /**
   * SIGKILL: on Linux {@link Process#destroyForcibly()} sends SIGKILL (SIGTERM is {@code
   * destroy()}), so the JVM gets no chance to deregister or run shutdown hooks, like a crashed
   * machine. Returns the exit code, 137 (128 + 9) for a killed JVM.
   */
  int kill() {
    process.destroyForcibly();
    return waitForExit(Duration.ofSeconds(30));
  }

  /** SIGTERM (Flink shuts down cleanly on it), then SIGKILL if it takes longer than the grace. */
  void stop(Duration grace) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private int waitForExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            name + " (pid " + pid() + ") did not exit within " + timeout);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + name + " to exit", e);
    }
  }
}
