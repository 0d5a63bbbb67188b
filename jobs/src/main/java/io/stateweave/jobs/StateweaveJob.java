package io.stateweave.jobs;

import io.stateweave.flink.module.ModuleLoader;
import io.stateweave.flink.module.ModuleSpec;
import io.stateweave.flink.module.ModuleSpecException;
import io.stateweave.flink.translation.ModuleTranslator;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The job jar's entry point: loads a module.yaml and runs its functions as one Flink job, on the
 * cluster it was submitted to with {@code flink run}, or on an embedded MiniCluster when started as
 * a plain Java program.
 */
@Command(
    name = "stateweave",
    mixinStandardHelpOptions = true,
    description = "Runs a module of stateful functions as a Flink job.")
public final class StateweaveJob implements Callable<Integer> {
  /** Exactly-once needs checkpoints; this is the interval when the configuration sets none. */
  static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);

  @Option(
      names = "--module",
      defaultValue = "classpath:module.yaml",
      description =
          "The module: a file path or classpath:<resource> (default: ${DEFAULT-VALUE});"
              + " repeatable, e.g. a StateFun 2.x module.yaml beside a file of 3.1+ documents.")
  List<String> modules;

  @Option(
      names = "-D",
      paramLabel = "key=value",
      description = "A Flink configuration option, e.g. -Dstate.backend.type=rocksdb (repeatable).")
  Map<String, String> flinkOptions = new HashMap<>();

  @Option(
      names = "--job-name",
      defaultValue = "stateweave",
      description = "The Flink job name (default: ${DEFAULT-VALUE}).")
  String jobName;

  @Option(
      names = "--run-for",
      converter = DurationConverter.class,
      description =
          "Cancel the job after this long, e.g. 30s or 2min (default: run until stopped).")
  Duration runFor;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The job's command line: a mistake in the module or the arguments is exit code 2. */
  static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new StateweaveJob());
    commandLine.setExecutionExceptionHandler(
        (error, cmd, parsed) -> {
          if (error instanceof IllegalArgumentException || error instanceof ModuleSpecException) {
            // A mistake in the module or the arguments: its message says what and where.
            cmd.getErr().println("stateweave: " + error.getMessage());
            return 2;
          }
          throw error;
        });
    return commandLine;
  }

  @Override
  public Integer call() throws Exception {
    ModuleSpec spec = ModuleLoader.load(modules);
    Configuration config = Configuration.fromMap(flinkOptions);
    if (!config.contains(CheckpointingOptions.CHECKPOINTING_INTERVAL)) {
      config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, DEFAULT_CHECKPOINT_INTERVAL);
    }
    // The job is all Stateweave's, whose records are immutable: chained operators pass them on
    // without a copy in a new StreamRecord (docs/benchmarks.md, item 12).
    if (!config.contains(PipelineOptions.OBJECT_REUSE)) {
      config.set(PipelineOptions.OBJECT_REUSE, true);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    if (!(env instanceof LocalStreamEnvironment)) {
      // on a cluster (flink run): the cluster's settings, and its web UI shows failures
      ModuleTranslator.translate(env, spec);
      env.execute(jobName);
      return 0;
    }
    LocalRun local = new LocalRun(config, System.err);
    ModuleTranslator.translate(local.environment(), spec);
    return local.run(jobName, runFor);
  }

  /**
   * Reads durations the way Flink's configuration does ({@code 30s}, {@code 2 min}, {@code 500ms}).
   */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return TimeUtils.parseDuration(value);
    }
  }
}
