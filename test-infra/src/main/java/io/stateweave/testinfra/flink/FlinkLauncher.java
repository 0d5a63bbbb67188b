package io.stateweave.testinfra.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts the JVMs of a standalone cluster the way Flink's own scripts would: the distribution's
 * lib/ as classpath, the memory flags that Flink's {@code BashJavaUtils} derives from the
 * configuration, {@code env.java.opts.*}, and log files named by {@code -Dlog.file}.
 */
final class FlinkLauncher {
  static final String JOB_MANAGER_MAIN =
      "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  static final String TASK_MANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
  static final String CLI_MAIN = "org.apache.flink.client.cli.CliFrontend";
  static final String BASH_JAVA_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils";

  /** The client only builds the job graph and talks REST: a small heap is plenty. */
  static final String CLI_HEAP = "-Xmx256m";

  private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
  private static final Duration UTILS_TIMEOUT = Duration.ofSeconds(60);

  private final FlinkDistribution distribution;
  private final ClusterConfig config;
  private final Path logDir;
  private final String classpath;

  FlinkLauncher(FlinkDistribution distribution, ClusterConfig config, Path logDir) {
    this.distribution = distribution;
    this.config = config;
    this.logDir = logDir;
    this.classpath = distribution.classpath();
  }

  /** JVM flags and {@code -D} dynamic properties of one kind of process, from BashJavaUtils. */
  record ProcessParams(List<String> jvmArgs, List<String> dynamicArgs) {}

  ProcessParams jobManagerParams() {
    return resourceParams("GET_JM_RESOURCE_PARAMS", "jobmanager");
  }

  ProcessParams taskManagerParams() {
    return resourceParams("GET_TM_RESOURCE_PARAMS", "taskmanager");
  }

  /**
   * Runs Flink's own memory calculation, as its jobmanager.sh and taskmanager.sh do: the standalone
   * TaskManager refuses to start unless every memory component is given explicitly, and this keeps
   * -Xmx and friends consistent with config.yaml whatever it says. The last two result lines are
   * the JVM flags and the dynamic properties.
   */
  private ProcessParams resourceParams(String command, String kind) {
    Path output = logDir.resolve("bash-java-utils-" + kind + ".out");
    List<String> cmd = new ArrayList<>();
    cmd.add(javaExecutable());
    cmd.add("-Xmx128m");
    cmd.add("-Dlog.file=" + logDir.resolve("bash-java-utils.log"));
    cmd.add("-Dlog4j.configurationFile=" + config.dir().resolve("log4j.properties").toUri());
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(BASH_JAVA_UTILS);
    cmd.add(command);
    cmd.add("--configDir");
    cmd.add(config.dir().toString());
    int exit = run(cmd, output, UTILS_TIMEOUT);
    List<String> results = new ArrayList<>();
    for (String line : readLines(output)) {
      if (line.startsWith(RESULT_PREFIX)) {
        results.add(line.substring(RESULT_PREFIX.length()).strip());
      }
    }
    if (exit != 0 || results.size() < 2) {
      throw new IllegalStateException(
          "Flink's memory calculation ("
              + command
              + ") failed with exit code "
              + exit
              + "; is the memory configuration in "
              + config.dir()
              + " consistent?\n"
              + LogTail.of(output));
    }
    return new ProcessParams(
        words(results.get(results.size() - 2)), words(results.get(results.size() - 1)));
  }

  FlinkProcess startJobManager(ProcessParams params) {
    List<String> args = new ArrayList<>();
    args.add("--configDir");
    args.add(config.dir().toString());
    args.addAll(params.dynamicArgs());
    return start("jobmanager", "jobmanager", params.jvmArgs(), JOB_MANAGER_MAIN, args);
  }

  /** A TaskManager named {@code resourceId}: its id in the REST API and its log files' name. */
  FlinkProcess startTaskManager(ProcessParams params, String resourceId) {
    List<String> args = new ArrayList<>();
    args.add("--configDir");
    args.add(config.dir().toString());
    args.addAll(params.dynamicArgs());
    args.add("-D");
    args.add("taskmanager.resource-id=" + resourceId);
    return start(resourceId, "taskmanager", params.jvmArgs(), TASK_MANAGER_MAIN, args);
  }

  private FlinkProcess start(
      String name, String kind, List<String> memoryArgs, String mainClass, List<String> args) {
    Path log = logDir.resolve(name + ".log");
    Path out = logDir.resolve(name + ".out");
    List<String> cmd = jvm(memoryArgs, kind, log);
    cmd.add(mainClass);
    cmd.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(cmd);
    environment(builder.environment());
    // stdout and stderr in one .out file, as flink-daemon.sh does; the web UI shows it.
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    try {
      return new FlinkProcess(name, builder.start(), log, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the " + name + " JVM: " + cmd, e);
    }
  }

  /**
   * Flink's CLI ({@code flink <args>}) against this cluster: it finds the REST address in
   * FLINK_CONF_DIR's config.yaml. Returns the exit code; the output goes to {@code output}.
   */
  int cli(List<String> cliArgs, Path output, Duration timeout) {
    List<String> cmd = jvm(List.of(CLI_HEAP), "client", logDir.resolve("client.log"));
    cmd.add(CLI_MAIN);
    cmd.addAll(cliArgs);
    return run(cmd, output, timeout);
  }

  /** The CLI with the caller's terminal, for the script's {@code run} command. */
  int cliInteractive(List<String> cliArgs) {
    List<String> cmd = jvm(List.of(CLI_HEAP), "client", logDir.resolve("client.log"));
    cmd.add(CLI_MAIN);
    cmd.addAll(cliArgs);
    ProcessBuilder builder = new ProcessBuilder(cmd).inheritIO();
    environment(builder.environment());
    try {
      return builder.start().waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start Flink's CLI: " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while Flink's CLI ran", e);
    }
  }

  private List<String> jvm(List<String> memoryArgs, String kind, Path logFile) {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaExecutable());
    cmd.addAll(memoryArgs);
    cmd.addAll(words(config.getOrDefault("env.java.opts.all", "")));
    cmd.addAll(words(config.getOrDefault("env.java.opts." + kind, "")));
    cmd.add("-Dlog.file=" + logFile);
    cmd.add("-Dlog4j.configurationFile=" + config.dir().resolve("log4j.properties").toUri());
    cmd.add("-classpath");
    cmd.add(classpath);
    return cmd;
  }

  private void environment(Map<String, String> env) {
    env.put("FLINK_CONF_DIR", config.dir().toString());
    env.put("FLINK_LIB_DIR", distribution.lib().toString());
    env.put("FLINK_HOME", distribution.home().toString());
    env.put("FLINK_LOG_DIR", logDir.toString());
    // an empty plugins dir of the cluster's own: a distribution has one, Flink warns without it
    env.put("FLINK_PLUGINS_DIR", config.dir().resolveSibling("plugins").toString());
  }

  private int run(List<String> cmd, Path output, Duration timeout) {
    ProcessBuilder builder = new ProcessBuilder(cmd);
    environment(builder.environment());
    builder.redirectErrorStream(true);
    builder.redirectOutput(output.toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + cmd, e);
    }
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "timed out after "
                + timeout
                + " running "
                + mainClassAndArgs(cmd)
                + "\n"
                + LogTail.of(output));
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + cmd, e);
    }
  }

  /** The command without the JVM flags and the long classpath: what an error should name. */
  private static String mainClassAndArgs(List<String> cmd) {
    int classpath = cmd.indexOf("-classpath");
    int cp = cmd.indexOf("-cp");
    int from = Math.max(classpath, cp) + 2;
    return String.join(" ", cmd.subList(Math.min(from, cmd.size()), cmd.size()));
  }

  static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static List<String> words(String line) {
    String stripped = line.strip();
    return stripped.isEmpty() ? List.of() : Arrays.asList(stripped.split("\\s+"));
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
