package io.stateweave.testinfra.flink;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.DoublePredicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real standalone Flink session cluster: one JobManager and N TaskManager JVMs started from the
 * distribution that {@code tools/flink} assembles, on loopback only, driven through Flink's own CLI
 * and REST API. Everything it writes stays under its work dir; {@link #close()} (or, as a last
 * resort, a JVM shutdown hook) stops every process it started.
 */
public final class FlinkCluster implements AutoCloseable {
  static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  static final Duration CLI_TIMEOUT = Duration.ofSeconds(180);
  static final Duration STOP_GRACE = Duration.ofSeconds(15);
  static final String PID_FILE = "cluster.pids";
  private static final Pattern SUBMITTED = Pattern.compile("JobID ([0-9a-f]{32})");
  private static final Pattern SAVEPOINT = Pattern.compile("Savepoint completed\\. Path: (\\S+)");
  private static final Set<String> TERMINAL = Set.of("FAILED", "CANCELED", "FINISHED", "SUSPENDED");

  private final Path workDir;
  private final ClusterConfig config;
  private final FlinkLauncher launcher;
  private final RestClient rest;
  private final FlinkLauncher.ProcessParams taskManagerParams;
  private final FlinkProcess jobManager;
  private final List<FlinkProcess> taskManagers = new ArrayList<>();
  private final Thread shutdownHook;
  private int cliRuns;
  private boolean closed;

  private FlinkCluster(
      Path workDir,
      ClusterConfig config,
      FlinkLauncher launcher,
      FlinkLauncher.ProcessParams taskManagerParams,
      FlinkProcess jobManager,
      boolean stopOnExit) {
    this.workDir = workDir;
    this.config = config;
    this.launcher = launcher;
    this.rest = new RestClient(config.restUrl());
    this.taskManagerParams = taskManagerParams;
    this.jobManager = jobManager;
    this.shutdownHook = stopOnExit ? new Thread(this::stopAll, "flink-cluster-shutdown") : null;
    if (shutdownHook != null) {
      // No orphan JVMs after a test run, even when a test never reaches close().
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
  }

  /**
   * Starts a JobManager and {@code taskManagers} TaskManagers with {@code slotsPerTaskManager}
   * slots each, and returns once the REST API reports all of them registered. {@code extraConfig}
   * overrides any setting of the generated config.yaml.
   */
  public static FlinkCluster start(
      Path workDir, int taskManagers, int slotsPerTaskManager, Map<String, String> extraConfig) {
    return start(
        FlinkDistribution.locate(), workDir, taskManagers, slotsPerTaskManager, extraConfig, true);
  }

  static FlinkCluster start(
      FlinkDistribution distribution,
      Path workDir,
      int taskManagers,
      int slotsPerTaskManager,
      Map<String, String> extraConfig,
      boolean stopOnExit) {
    Objects.requireNonNull(workDir, "workDir");
    if (taskManagers < 0) {
      throw new IllegalArgumentException("taskManagers must be >= 0, got " + taskManagers);
    }
    Path dir = workDir.toAbsolutePath().normalize();
    ClusterConfig config = ClusterConfig.write(distribution, dir, slotsPerTaskManager, extraConfig);
    FlinkLauncher launcher = new FlinkLauncher(distribution, config, dir.resolve("log"));
    FlinkLauncher.ProcessParams jobManagerParams = launcher.jobManagerParams();
    FlinkLauncher.ProcessParams taskManagerParams = launcher.taskManagerParams();
    FlinkCluster cluster =
        new FlinkCluster(
            dir,
            config,
            launcher,
            taskManagerParams,
            launcher.startJobManager(jobManagerParams),
            stopOnExit);
    try {
      for (int i = 0; i < taskManagers; i++) {
        cluster.taskManagers.add(launcher.startTaskManager(taskManagerParams, resourceId(i)));
      }
      cluster.awaitTaskManagers(cluster.liveTaskManagerIds(), START_TIMEOUT);
      cluster.writePidFile();
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private static String resourceId(int index) {
    return "taskmanager-" + index;
  }

  /** The REST API (and web UI) base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String restUrl() {
    return config.restUrl();
  }

  public Path workDir() {
    return workDir;
  }

  /**
   * JobManager and TaskManager logs: {@code <name>.log} (Log4j) and {@code <name>.out} (stdout).
   */
  public Path logDir() {
    return workDir.resolve("log");
  }

  /** The stdout file of TaskManager {@code index}, where print sinks and stdout egresses write. */
  public Path taskManagerStdout(int index) {
    taskManager(index);
    return logDir().resolve(resourceId(index) + ".out");
  }

  /**
   * Submits a job with Flink's CLI ({@code flink run -d}) and returns its id once the cluster has
   * accepted it; from a savepoint when {@code savepointPathOrNull} is not null.
   */
  public JobId submit(
      Path jar, String mainClass, List<String> args, int parallelism, String savepointPathOrNull) {
    return submit(jar, List.of(), mainClass, args, parallelism, savepointPathOrNull);
  }

  /**
   * As {@link #submit(Path, String, List, int, String)}, with more of the job's classes in {@code
   * classpath} ({@code flink run -C}: jars or directories every JVM of this machine can read).
   */
  public JobId submit(
      Path jar,
      List<Path> classpath,
      String mainClass,
      List<String> args,
      int parallelism,
      String savepointPathOrNull) {
    Objects.requireNonNull(jar, "jar");
    Objects.requireNonNull(classpath, "classpath");
    Objects.requireNonNull(mainClass, "mainClass");
    Objects.requireNonNull(args, "args");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("no job jar at " + jar);
    }
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
    }
    List<String> cli = new ArrayList<>(List.of("run", "-d", "-p", String.valueOf(parallelism)));
    if (savepointPathOrNull != null) {
      cli.add("-s");
      cli.add(savepointPathOrNull);
    }
    for (Path entry : classpath) {
      cli.add("-C");
      cli.add(entry.toAbsolutePath().toUri().toString());
    }
    cli.addAll(List.of("-c", mainClass, jar.toAbsolutePath().toString()));
    cli.addAll(args);
    String output = cli("submit", cli);
    return new JobId(find(SUBMITTED, output, "a job id", cli));
  }

  /** The job's state from {@code GET /jobs/<id>}: CREATED, RUNNING, RESTARTING, FINISHED, ... */
  public String jobStatus(JobId jobId) {
    return rest.get("/jobs/" + jobId).path("state").asText();
  }

  /** Waits for the job to be in {@code status}; fails early when it ends in another state. */
  public void awaitStatus(JobId jobId, String status, Duration timeout) {
    String[] last = {"(unknown)"};
    await(
        "job " + jobId + " to be " + status,
        timeout,
        () -> {
          last[0] = jobStatus(jobId);
          if (!last[0].equals(status) && TERMINAL.contains(last[0])) {
            throw new IllegalStateException(
                "job "
                    + jobId
                    + " is "
                    + last[0]
                    + ", not "
                    + status
                    + "\n"
                    + rootException(jobId)
                    + logTails());
          }
          return last[0].equals(status);
        },
        () -> "last status " + last[0]);
  }

  /**
   * Waits until the job is RUNNING and so is each of its operators (or it has FINISHED, as bounded
   * sources do): after a failover the job is RUNNING again long before its tasks are.
   */
  public void awaitTasksRunning(JobId jobId, Duration timeout) {
    String[] last = {"(unknown)"};
    await(
        "all tasks of job " + jobId + " to run",
        timeout,
        () -> {
          JsonNode job = rest.get("/jobs/" + jobId);
          last[0] = job.toString();
          String state = job.path("state").asText();
          if (TERMINAL.contains(state)) {
            throw new IllegalStateException(
                "job " + jobId + " is " + state + "\n" + rootException(jobId) + logTails());
          }
          if (!state.equals("RUNNING")) {
            return false;
          }
          for (JsonNode vertex : job.path("vertices")) {
            String vertexState = vertex.path("status").asText();
            if (!vertexState.equals("RUNNING") && !vertexState.equals("FINISHED")) {
              return false;
            }
          }
          return true;
        },
        () -> "last answer " + last[0]);
  }

  /** The number of completed checkpoints of the job ({@code GET /jobs/<id>/checkpoints}). */
  public int completedCheckpoints(JobId jobId) {
    return rest.get("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asInt();
  }

  public void awaitCompletedCheckpoints(JobId jobId, int atLeast, Duration timeout) {
    int[] last = {-1};
    await(
        "job " + jobId + " to complete " + atLeast + " checkpoints",
        timeout,
        () -> (last[0] = completedCheckpoints(jobId)) >= atLeast,
        () -> "completed so far: " + last[0]);
  }

  /**
   * Waits until a metric of the job's operator (job vertex) named {@code vertexName}, summed over
   * its subtasks, meets {@code condition}; returns that sum. The REST API fetches metrics from the
   * TaskManagers every {@code metrics.fetcher.update-interval} (10 s by default) and answers
   * without them until then. A timeout names the metrics the vertex has.
   */
  public double awaitVertexMetricSum(
      JobId jobId,
      String vertexName,
      String metric,
      DoublePredicate condition,
      Duration timeout) {
    double[] sum = {Double.NaN};
    await(
        metric + " of " + vertexName + " in job " + jobId + " to meet the condition",
        timeout,
        () -> {
          sum[0] = vertexMetricSum(jobId, vertexName, metric);
          return !Double.isNaN(sum[0]) && condition.test(sum[0]);
        },
        () -> {
          List<String> available = new ArrayList<>();
          rest.get(subtaskMetricsPath(jobId, vertexName))
              .forEach(m -> available.add(m.path("id").asText()));
          return "last sum " + sum[0] + "; the vertex's metrics: " + available;
        });
    return sum[0];
  }

  /**
   * A metric of the job's operator (job vertex) named {@code vertexName}, summed over its subtasks,
   * as the REST API has it now (fetched every {@code metrics.fetcher.update-interval}); NaN while
   * it has none.
   */
  public double vertexMetricSum(JobId jobId, String vertexName, String metric) {
    for (JsonNode value :
        rest.get(subtaskMetricsPath(jobId, vertexName) + "?get=" + metric + "&agg=sum")) {
      if (value.path("id").asText().equals(metric)) {
        return value.path("sum").asDouble();
      }
    }
    return Double.NaN;
  }

  /** The names of the job's vertices (operator chains), in the job graph's order. */
  public List<String> vertexNames(JobId jobId) {
    List<String> names = new ArrayList<>();
    rest.get("/jobs/" + jobId).path("vertices").forEach(v -> names.add(v.path("name").asText()));
    return names;
  }

  /** The CPU time the cluster's running JVMs (JobManager and TaskManagers) have used so far. */
  public synchronized Duration cpuTime() {
    Duration total = Duration.ZERO;
    List<FlinkProcess> processes = new ArrayList<>(taskManagers);
    processes.add(jobManager);
    for (FlinkProcess process : processes) {
      total = total.plus(process.cpuTime());
    }
    return total;
  }

  private String subtaskMetricsPath(JobId jobId, String vertexName) {
    return "/jobs/" + jobId + "/vertices/" + vertexId(jobId, vertexName) + "/subtasks/metrics";
  }

  private String vertexId(JobId jobId, String vertexName) {
    List<String> names = new ArrayList<>();
    for (JsonNode vertex : rest.get("/jobs/" + jobId).path("vertices")) {
      if (vertex.path("name").asText().equals(vertexName)) {
        return vertex.path("id").asText();
      }
      names.add(vertex.path("name").asText());
    }
    throw new IllegalArgumentException(
        "job " + jobId + " has no vertex named " + vertexName + ", only " + names);
  }

  /** How many failures the job has seen ({@code GET /jobs/<id>/exceptions}, exception history). */
  public int failureCount(JobId jobId) {
    return rest.get("/jobs/" + jobId + "/exceptions")
        .path("exceptionHistory")
        .path("entries")
        .size();
  }

  /** Stops the job with a savepoint in {@code dir} ({@code flink stop}); returns its path. */
  public String stopWithSavepoint(JobId jobId, Path dir) {
    Objects.requireNonNull(dir, "dir");
    List<String> cli =
        List.of("stop", "--savepointPath", dir.toAbsolutePath().toUri().toString(), jobId.value());
    return find(SAVEPOINT, cli("stop", cli), "the savepoint path", cli);
  }

  /** Cancels the job ({@code flink cancel}) and waits until it is CANCELED. */
  public void cancel(JobId jobId) {
    cli("cancel", List.of("cancel", jobId.value()));
    awaitStatus(jobId, "CANCELED", Duration.ofSeconds(60));
  }

  /**
   * SIGKILLs TaskManager {@code index}, like a crashed machine: no deregistration, the JobManager
   * finds out through failed heartbeats. Returns the exit code (137 = killed by signal 9).
   */
  public int killTaskManager(int index) {
    FlinkProcess taskManager = taskManager(index);
    if (!taskManager.isAlive()) {
      throw new IllegalStateException(
          taskManager.name() + " is not running\n" + taskManager.logTails());
    }
    return taskManager.kill();
  }

  /** Starts one more TaskManager and waits until it is registered; returns its index. */
  public synchronized int startTaskManager() {
    checkOpen();
    int index = taskManagers.size();
    taskManagers.add(launcher.startTaskManager(taskManagerParams, resourceId(index)));
    awaitTaskManagers(Set.of(resourceId(index)), START_TIMEOUT);
    writePidFile();
    return index;
  }

  /** Stops every process (SIGTERM, then SIGKILL after a grace period). */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopAll();
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to: it stops the same processes
      }
    }
    try {
      Files.deleteIfExists(workDir.resolve(PID_FILE));
    } catch (IOException e) {
      // the processes are gone; a stale pid file only makes 'stop' a no-op
    }
  }

  private void stopAll() {
    List<FlinkProcess> all = new ArrayList<>(taskManagers);
    all.add(jobManager);
    // SIGTERM to all first, so that they shut down in parallel, then wait for each.
    all.parallelStream().forEach(p -> p.stop(STOP_GRACE));
  }

  private FlinkProcess taskManager(int index) {
    if (index < 0 || index >= taskManagers.size()) {
      throw new IllegalArgumentException(
          "no TaskManager "
              + index
              + ": indexes 0.."
              + (taskManagers.size() - 1)
              + " were started");
    }
    return taskManagers.get(index);
  }

  private Set<String> liveTaskManagerIds() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < taskManagers.size(); i++) {
      if (taskManagers.get(i).isAlive()) {
        ids.add(resourceId(i));
      }
    }
    return ids;
  }

  /** Waits until REST answers and lists all the given TaskManagers as registered. */
  private void awaitTaskManagers(Set<String> ids, Duration timeout) {
    Set<String> registered = new HashSet<>();
    await(
        "the REST API at " + restUrl() + " to list TaskManagers " + ids,
        timeout,
        () -> {
          if (!jobManager.isAlive()) {
            throw new IllegalStateException(
                "the JobManager exited during start\n" + jobManager.logTails());
          }
          for (String id : ids) {
            FlinkProcess tm =
                taskManagers.get(Integer.parseInt(id.substring(id.lastIndexOf('-') + 1)));
            if (!tm.isAlive()) {
              throw new IllegalStateException(
                  id + " exited during start\n" + tm.logTails() + jobManager.logTails());
            }
          }
          Optional<JsonNode> answer = rest.tryGet("/taskmanagers");
          if (answer.isEmpty()) {
            return false;
          }
          registered.clear();
          for (JsonNode tm : answer.get().path("taskmanagers")) {
            registered.add(tm.path("id").asText());
          }
          return registered.containsAll(ids);
        },
        () -> "registered: " + registered);
  }

  private String cli(String purpose, List<String> args) {
    checkOpen();
    Path output;
    synchronized (this) {
      output = logDir().resolve("cli-" + (++cliRuns) + "-" + purpose + ".out");
    }
    int exit = launcher.cli(args, output, CLI_TIMEOUT);
    String text = String.join("\n", FlinkLauncher.readLines(output));
    if (exit != 0) {
      throw new IllegalStateException(
          "flink "
              + String.join(" ", args)
              + " failed with exit code "
              + exit
              + "\n"
              + LogTail.of(output)
              + jobManager.logTails());
    }
    return text;
  }

  private String find(Pattern pattern, String output, String what, List<String> args) {
    Matcher matcher = pattern.matcher(output);
    if (!matcher.find()) {
      throw new IllegalStateException(
          "flink " + String.join(" ", args) + " printed no " + what + ":\n" + output);
    }
    return matcher.group(1);
  }

  private String rootException(JobId jobId) {
    try {
      JsonNode entries =
          rest.get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries");
      return entries.isEmpty()
          ? ""
          : "--- latest job exception:\n" + entries.get(0).path("stacktrace").asText() + "\n";
    } catch (RuntimeException e) {
      return "--- job exceptions unavailable: " + e.getMessage() + "\n";
    }
  }

  /**
   * The lines of every JobManager and TaskManager log (Log4j and stdout, also of TaskManagers
   * killed meanwhile) that contain {@code text}, each after its file's name: lets a test assert
   * that a run logged no such error. Also works after {@link #close()}.
   */
  public List<String> logLinesContaining(String text) {
    Objects.requireNonNull(text, "text");
    List<FlinkProcess> processes = new ArrayList<>(List.of(jobManager));
    synchronized (this) {
      processes.addAll(taskManagers);
    }
    List<String> matches = new ArrayList<>();
    for (FlinkProcess process : processes) {
      for (Path file : process.logFiles()) {
        if (Files.isRegularFile(file)) {
          for (String line : FlinkLauncher.readLines(file)) {
            if (line.contains(text)) {
              matches.add(file.getFileName() + ": " + line);
            }
          }
        }
      }
    }
    return matches;
  }

  /** Every process's log tails, for failure messages. */
  public String logTails() {
    StringBuilder tails = new StringBuilder(jobManager.logTails());
    taskManagers.forEach(tm -> tails.append(tm.logTails()));
    return tails.toString();
  }

  private void await(
      String what, Duration timeout, BooleanSupplier condition, Supplier<String> state) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!holds(condition)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "timed out after "
                + timeout
                + " waiting for "
                + what
                + " ("
                + state.get()
                + ")\n"
                + logTails());
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      }
    }
  }

  /** A REST API answering "not ready" (a leader election in progress) means: not yet. */
  private static boolean holds(BooleanSupplier condition) {
    try {
      return condition.getAsBoolean();
    } catch (RestClient.RestException e) {
      if (e.notReady) {
        return false;
      }
      throw e;
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the cluster in " + workDir + " is closed");
    }
  }

  /** Pids of the running JVMs, for {@code flink-cluster.sh stop} of a cluster it started. */
  private void writePidFile() {
    StringBuilder pids = new StringBuilder(jobManager.name() + " " + jobManager.pid() + "\n");
    for (FlinkProcess tm : taskManagers) {
      if (tm.isAlive()) {
        pids.append(tm.name()).append(' ').append(tm.pid()).append('\n');
      }
    }
    try {
      Files.writeString(workDir.resolve(PID_FILE), pids);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + workDir.resolve(PID_FILE), e);
    }
  }

  /**
   * The command line of {@code tools/flink/flink-cluster.sh}: {@code start <workDir> <taskManagers>
   * <slots>} (leaves the cluster running), {@code stop <workDir>}, and {@code run <workDir> <flink
   * CLI args...>}.
   */
  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println(
          "usage: FlinkCluster start <workDir> [taskManagers] [slots] | stop <workDir>"
              + " | run <workDir> <flink CLI args...>");
      System.exit(2);
    }
    Path dir = Path.of(args[1]).toAbsolutePath().normalize();
    switch (args[0]) {
      case "start" -> {
        int tms = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int slots = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        FlinkCluster cluster = start(FlinkDistribution.locate(), dir, tms, slots, Map.of(), false);
        System.out.println(
            "Flink cluster: "
                + tms
                + " TaskManager(s) x "
                + slots
                + " slots, logs in "
                + cluster.logDir());
        System.out.println("Web UI: " + cluster.restUrl());
      }
      case "stop" -> System.out.println(ProcessReaper.stop(dir.resolve(PID_FILE), dir, STOP_GRACE));
      case "run" -> {
        ClusterConfig config = ClusterConfig.read(dir);
        FlinkLauncher launcher =
            new FlinkLauncher(FlinkDistribution.locate(), config, dir.resolve("log"));
        System.exit(launcher.cliInteractive(Arrays.asList(args).subList(2, args.length)));
      }
      default -> {
        System.err.println("unknown command " + args[0] + ": start, stop or run");
        System.exit(2);
      }
    }
  }
}
