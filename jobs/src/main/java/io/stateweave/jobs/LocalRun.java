package io.stateweave.jobs;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A job on an embedded MiniCluster, started as a plain Java program: Flink's defaults made fit for
 * a user at a terminal. A failing job restarts a few times rather than forever, each restart is
 * said on the console, and when the job fails for good its cause and a hint are printed and the
 * run ends with a non-zero exit. Nothing listens beyond the loopback interface unless the user
 * sets the addresses with {@code -D}.
 */
final class LocalRun {
  static final int DEFAULT_RESTART_ATTEMPTS = 3;
  static final Duration DEFAULT_RESTART_DELAY = Duration.ofSeconds(1);
  static final String LOOPBACK = "127.0.0.1";
  static final int EXIT_FAILED = 1;
  private static final Duration STATUS_POLL = Duration.ofMillis(200);

  private final Configuration config;
  private final PrintStream console;
  private final StreamExecutionEnvironment environment;

  LocalRun(Configuration config, PrintStream console) {
    this.config = withLocalDefaults(Objects.requireNonNull(config, "config"));
    this.console = Objects.requireNonNull(console, "console");
    this.environment =
        webUiAvailable()
            ? StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(this.config)
            : StreamExecutionEnvironment.createLocalEnvironment(this.config);
  }

  /** The settings a local run uses where the user gave none. */
  static Configuration withLocalDefaults(Configuration given) {
    Configuration config = new Configuration(given);
    if (!config.contains(RestartStrategyOptions.RESTART_STRATEGY)) {
      config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
      config.set(
          RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, DEFAULT_RESTART_ATTEMPTS);
      config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, DEFAULT_RESTART_DELAY);
    }
    setIfAbsent(config, RestOptions.BIND_ADDRESS, LOOPBACK);
    setIfAbsent(config, RestOptions.ADDRESS, LOOPBACK);
    setIfAbsent(config, JobManagerOptions.BIND_HOST, LOOPBACK);
    setIfAbsent(config, JobManagerOptions.ADDRESS, LOOPBACK);
    setIfAbsent(config, TaskManagerOptions.BIND_HOST, LOOPBACK);
    setIfAbsent(config, TaskManagerOptions.HOST, LOOPBACK);
    setIfAbsent(config, RestOptions.BIND_PORT, "8081-8089");
    return config;
  }

  private static void setIfAbsent(
      Configuration config, ConfigOption<String> option, String value) {
    if (!config.contains(option)) {
      config.set(option, value);
    }
  }

  StreamExecutionEnvironment environment() {
    return environment;
  }

  /**
   * Runs the job until it ends, fails for good, or {@code runFor} passed (then it is cancelled);
   * returns the exit code: 0, or {@link #EXIT_FAILED} with the failure printed.
   */
  int run(String jobName, Duration runFor) throws Exception {
    JobClient job = environment.executeAsync(jobName);
    long deadline = runFor == null ? Long.MAX_VALUE : System.nanoTime() + runFor.toNanos();
    JobStatus last = null;
    while (true) {
      try {
        job.getJobExecutionResult().get(STATUS_POLL.toMillis(), TimeUnit.MILLISECONDS);
        return 0;
      } catch (ExecutionException failed) {
        console.println(FailureReport.of(failed));
        return EXIT_FAILED;
      } catch (TimeoutException stillRunning) {
        JobStatus status = statusOf(job);
        if (status == null) {
          continue;
        }
        if (status == JobStatus.RESTARTING && last != JobStatus.RESTARTING) {
          console.println(
              "stateweave: the job failed (the cause is logged above) and restarts ("
                  + restartLimit()
                  + ")");
        }
        last = status;
        if (System.nanoTime() - deadline >= 0) {
          job.cancel().get();
          return 0;
        }
      }
    }
  }

  /** Null once the job ended and took its MiniCluster along: its result then says how. */
  private static JobStatus statusOf(JobClient job) throws InterruptedException {
    try {
      return job.getJobStatus().get();
    } catch (ExecutionException | IllegalStateException ended) {
      return null;
    }
  }

  private String restartLimit() {
    String strategy = config.get(RestartStrategyOptions.RESTART_STRATEGY);
    return strategy.equals("fixed-delay")
        ? "at most "
            + config.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS)
            + " times: "
            + RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS.key()
        : RestartStrategyOptions.RESTART_STRATEGY.key() + ": " + strategy;
  }

  private static boolean webUiAvailable() {
    try {
      Class.forName("org.apache.flink.runtime.webmonitor.WebSubmissionExtension");
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
