package io.stateweave.manager.service;

import io.stateweave.manager.client.BadRequestException;
import io.stateweave.manager.client.ConflictException;
import io.stateweave.manager.client.Definition;
import io.stateweave.manager.client.DefinitionRequest;
import io.stateweave.manager.client.NotFoundException;
import io.stateweave.manager.client.Savepoint;
import io.stateweave.manager.client.ServerException;
import io.stateweave.manager.client.Settings;
import io.stateweave.manager.definition.DefinitionKinds;
import io.stateweave.manager.flink.FlinkException;
import io.stateweave.manager.flink.FlinkRest;
import io.stateweave.manager.flink.JobStatus;
import io.stateweave.manager.registry.Registry;
import io.stateweave.manager.registry.StoredDefinition;
import io.stateweave.manager.registry.StoredDefinition.State;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The manager's operations on definitions: each checks its request, moves the definition in the
 * registry by compare-and-set (so that two requests for one definition cannot both act on it), asks
 * the cluster, and records the outcome. Refusals are the client's exception classes, which the HTTP
 * layer turns into their status codes.
 */
public final class ManagerService {
  /** The main class of Stateweave's job jar that never exits the JobManager's JVM. */
  public static final String DEFAULT_ENTRY_CLASS = "io.stateweave.jobs.JobManagerEntry";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final Registry registry;
  private final FlinkRest flink;
  private final DefinitionKinds kinds;
  private final Path sourcesDir;
  private final Path defaultJar;
  private final Object uploads = new Object();

  /**
   * {@code dataDir} holds the sources written for the jobs to read; {@code defaultJar} (nullable)
   * is the job jar of definitions that name none.
   */
  public ManagerService(
      Registry registry, FlinkRest flink, DefinitionKinds kinds, Path dataDir, Path defaultJar) {
    this.registry = registry;
    this.flink = flink;
    this.kinds = kinds;
    this.sourcesDir = dataDir.toAbsolutePath().resolve("sources");
    this.defaultJar = defaultJar == null ? null : defaultJar.toAbsolutePath();
  }

  public Definition create(DefinitionRequest request) {
    if (request == null) {
      throw new BadRequestException("expected a definition, got an empty request");
    }
    String name = checkName(request.name());
    if (request.source() == null || request.source().isBlank()) {
      throw new BadRequestException("field 'source': expected the definition's text, got none");
    }
    Path jar = jarOf(request.jar());
    Settings settings = checkSettings(request.settings());
    String sourceName =
        request.sourceName() == null || request.sourceName().isBlank()
            ? kinds.fileName(request.kind(), name)
            : request.sourceName();
    if (registry.find(name).isPresent()) {
      // checked before the (slower) validation too; the registry's key decides races
      throw new ConflictException("a definition named '" + name + "' exists already");
    }
    kinds.validate(request.kind(), request.source(), sourceName, jar);
    registry.insert(name, request.kind(), request.source(), sourceName, jar.toString(), settings);
    return get(name);
  }

  /**
   * Starts the definition's job: from {@code savepoint} when given (one of its recorded
   * savepoints), else from its latest savepoint, else empty.
   */
  public Definition start(String name, String savepoint) {
    StoredDefinition definition = require(name);
    busy(definition);
    if (definition.state() == State.RUNNING) {
      Optional<JobStatus> job = job(definition.jobId());
      if (job.isPresent() && !job.get().terminal()) {
        throw new ConflictException(
            "'" + name + "' is running already, as job " + definition.jobId());
      }
    }
    String from = savepointToStartFrom(name, savepoint);
    String jarId = uploaded(Path.of(definition.jar()));
    String jobId = UUID.randomUUID().toString().replace("-", "");
    if (!registry.transition(
        definition, State.STARTING, jobId, "starting job " + jobId + from(from))) {
      throw changedMeanwhile(name);
    }
    StoredDefinition starting = require(name);
    Path file = writeSource(definition);
    List<String> args = new ArrayList<>(kinds.programArgs(definition.kind(), file));
    args.add("--job-name");
    args.add(name);
    for (Map.Entry<String, String> option : definition.settings().config().entrySet()) {
      args.add("-D" + option.getKey() + "=" + option.getValue());
    }
    Settings settings = definition.settings();
    String entryClass = settings.entryClass() == null ? DEFAULT_ENTRY_CLASS : settings.entryClass();
    try {
      flink.run(jarId, new FlinkRest.Run(entryClass, args, settings.parallelism(), from, jobId));
    } catch (FlinkException e) {
      State back = definition.state() == State.CREATED ? State.CREATED : State.STOPPED;
      registry.transition(starting, back, definition.jobId(), "start failed: " + e.getMessage());
      throw new ServerException("the cluster refused to start '" + name + "': " + e.getMessage());
    }
    registry.transition(starting, State.RUNNING, jobId, "job " + jobId + " submitted" + from(from));
    return get(name);
  }

  /** Stops the definition's running job with a savepoint, records it and returns it. */
  public Savepoint stop(String name) {
    StoredDefinition definition = require(name);
    busy(definition);
    if (definition.state() != State.RUNNING) {
      throw notRunning(name, definition.state().label());
    }
    Optional<JobStatus> job = job(definition.jobId());
    if (job.isEmpty() || job.get().terminal()) {
      throw notRunning(
          name, job.map(j -> "job " + definition.jobId() + " is " + j.state()).orElse("job lost"));
    }
    return stopRunning(definition);
  }

  /** Stops the job with a savepoint when it runs, then starts it from its latest savepoint. */
  public Definition restart(String name) {
    StoredDefinition definition = require(name);
    busy(definition);
    if (definition.state() == State.RUNNING) {
      Optional<JobStatus> job = job(definition.jobId());
      if (job.isPresent() && !job.get().terminal()) {
        stopRunning(definition);
      }
    }
    return start(name, null);
  }

  /** Every definition whose name matches the glob ({@code *}, {@code ?}; null: all), by name. */
  public List<Definition> show(String pattern) {
    Pattern glob = pattern == null || pattern.isEmpty() ? null : glob(pattern);
    List<Definition> shown = new ArrayList<>();
    for (StoredDefinition definition : registry.all()) {
      if (glob == null || glob.matcher(definition.name()).matches()) {
        shown.add(view(definition));
      }
    }
    if (shown.isEmpty() && pattern != null && !pattern.contains("*") && !pattern.contains("?")) {
      throw notFound(pattern);
    }
    return shown;
  }

  public Definition get(String name) {
    return view(require(name));
  }

  /** Removes the definition, stopping its job with a savepoint first when it runs. */
  public Optional<Savepoint> drop(String name) {
    StoredDefinition definition = require(name);
    busy(definition);
    Optional<Savepoint> savepoint = Optional.empty();
    if (definition.state() == State.RUNNING) {
      Optional<JobStatus> job = job(definition.jobId());
      if (job.isPresent() && !job.get().terminal()) {
        savepoint = Optional.of(stopRunning(definition));
      }
    }
    registry.delete(name);
    try {
      Files.deleteIfExists(sourcesDir.resolve(kinds.fileName(definition.kind(), name)));
    } catch (IOException e) {
      // a stale source file is overwritten by the next definition of that name
    }
    return savepoint;
  }

  public List<Savepoint> savepoints(String name) {
    require(name);
    return registry.savepoints(name);
  }

  /**
   * Settles definitions that a previous manager left between two states (it stopped while starting
   * or stopping one), by what the cluster says of their jobs.
   */
  public void recover() {
    for (StoredDefinition definition : registry.all()) {
      if (definition.state() != State.STARTING && definition.state() != State.STOPPING) {
        continue;
      }
      Optional<JobStatus> job = job(definition.jobId());
      boolean runs = job.isPresent() && !job.get().terminal();
      registry.transition(
          definition,
          runs ? State.RUNNING : State.STOPPED,
          definition.jobId(),
          "found job "
              + definition.jobId()
              + " "
              + job.map(JobStatus::state).orElse("unknown")
              + " after the manager restarted");
    }
  }

  private Savepoint stopRunning(StoredDefinition definition) {
    String name = definition.name();
    String jobId = definition.jobId();
    if (!registry.transition(definition, State.STOPPING, jobId, "stopping job " + jobId)) {
      throw changedMeanwhile(name);
    }
    StoredDefinition stopping = require(name);
    String path;
    try {
      path = flink.stopWithSavepoint(jobId, definition.settings().savepointDirectory());
    } catch (FlinkException e) {
      registry.transition(stopping, State.RUNNING, jobId, "stop failed: " + e.getMessage());
      throw new ServerException("the cluster failed to stop '" + name + "': " + e.getMessage());
    }
    registry.addSavepoint(name, path, jobId);
    registry.transition(stopping, State.STOPPED, jobId, "stopped with savepoint " + path);
    return registry.savepoints(name).get(0);
  }

  private Definition view(StoredDefinition definition) {
    String status;
    String cause = null;
    switch (definition.state()) {
      case CREATED -> status = Definition.CREATED;
      case STOPPED -> status = Definition.STOPPED;
      case STARTING -> status = "starting";
      case STOPPING -> status = "stopping";
      default -> {
        Optional<JobStatus> job;
        try {
          job = flink.job(definition.jobId());
        } catch (FlinkException e) {
          job = Optional.of(new JobStatus("UNKNOWN", e.getMessage()));
        }
        if (job.isEmpty()) {
          status = Definition.FAILED;
          cause = "the cluster does not know job " + definition.jobId() + " (was it restarted?)";
        } else {
          status = status(job.get().state());
          cause = status.equals(Definition.RUNNING) ? null : job.get().rootCause();
        }
        registry.observed(definition.name(), status, cause);
      }
    }
    List<Savepoint> savepoints = registry.savepoints(definition.name());
    return new Definition(
        definition.name(),
        definition.kind(),
        definition.sourceName(),
        definition.jar(),
        definition.settings(),
        status,
        definition.jobId(),
        cause,
        savepoints.isEmpty() ? null : savepoints.get(0).path(),
        registry.history(definition.name()));
  }

  /** Flink's job states, as the manager's statuses. */
  static String status(String flinkState) {
    return switch (flinkState) {
      case "RESTARTING", "FAILING" -> Definition.FAILING;
      case "FAILED" -> Definition.FAILED;
      case "FINISHED", "CANCELED", "CANCELLING" -> Definition.STOPPED;
      case "UNKNOWN" -> "unknown";
      default -> Definition.RUNNING; // INITIALIZING, CREATED, RUNNING, RECONCILING, SUSPENDED
    };
  }

  private String savepointToStartFrom(String name, String requested) {
    List<Savepoint> savepoints = registry.savepoints(name);
    if (requested == null) {
      return savepoints.isEmpty() ? null : savepoints.get(0).path();
    }
    for (Savepoint savepoint : savepoints) {
      if (savepoint.path().equals(requested)) {
        return requested;
      }
    }
    throw new NotFoundException(
        "'" + name + "' has no savepoint " + requested + " (see: savepoints " + name + ")");
  }

  /** The cluster's id of the jar, uploading it when the cluster does not hold this content yet. */
  private String uploaded(Path jar) {
    synchronized (uploads) {
      String sha256 = sha256(jar);
      try {
        Optional<String> known = registry.uploadedJar(sha256, flink.url());
        if (known.isPresent() && flink.jars().contains(known.get())) {
          return known.get();
        }
        String jarId = flink.upload(jar);
        registry.jarUploaded(sha256, flink.url(), jarId);
        return jarId;
      } catch (FlinkException e) {
        throw new ServerException("the cluster refused the job jar " + jar + ": " + e.getMessage());
      }
    }
  }

  private Path writeSource(StoredDefinition definition) {
    Path file = sourcesDir.resolve(kinds.fileName(definition.kind(), definition.name()));
    try {
      Files.createDirectories(sourcesDir);
      Files.writeString(file, definition.source());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private Optional<JobStatus> job(String jobId) {
    try {
      return jobId == null ? Optional.empty() : flink.job(jobId);
    } catch (FlinkException e) {
      throw new ServerException(
          "the cluster cannot tell the status of job " + jobId + ": " + e.getMessage());
    }
  }

  private StoredDefinition require(String name) {
    return registry.find(name).orElseThrow(() -> notFound(name));
  }

  private static void busy(StoredDefinition definition) {
    if (definition.state() == State.STARTING || definition.state() == State.STOPPING) {
      throw new ConflictException(
          "'"
              + definition.name()
              + "' is "
              + definition.state().label()
              + ": try again when it is done");
    }
  }

  private Path jarOf(String jar) {
    if (jar != null && !jar.isBlank()) {
      return Path.of(jar).toAbsolutePath();
    }
    if (defaultJar == null) {
      throw new BadRequestException(
          "field 'jar': expected a job jar, got none (the manager has no default: --job-jar)");
    }
    return defaultJar;
  }

  private static String checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new BadRequestException(
          "field 'name': expected 1-64 letters, digits, '.', '_' or '-', starting with a letter"
              + " or digit, got "
              + (name == null ? "none" : "'" + name + "'"));
    }
    return name;
  }

  private static Settings checkSettings(Settings settings) {
    if (settings == null) {
      return Settings.defaults();
    }
    if (settings.parallelism() != null && settings.parallelism() < 1) {
      throw new BadRequestException(
          "field 'settings.parallelism': expected at least 1, got " + settings.parallelism());
    }
    for (Map.Entry<String, String> option : settings.config().entrySet()) {
      if (option.getKey().isBlank() || option.getKey().contains("=") || option.getValue() == null) {
        throw new BadRequestException(
            "field 'settings.config': expected Flink options as key: value, got '"
                + option.getKey()
                + "'");
      }
    }
    return settings;
  }

  private static Pattern glob(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }

  private static String sha256(Path jar) {
    try (InputStream in = new DigestInputStream(Files.newInputStream(jar), digest())) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (IOException e) {
      throw new ServerException("cannot read the job jar " + jar + ": " + e);
    }
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static String from(String savepoint) {
    return savepoint == null ? "" : " from savepoint " + savepoint;
  }

  private static NotFoundException notFound(String name) {
    return new NotFoundException("no definition named '" + name + "'");
  }

  private static ConflictException notRunning(String name, String why) {
    return new ConflictException("'" + name + "' is not running (" + why + ")");
  }

  private static ConflictException changedMeanwhile(String name) {
    return new ConflictException("'" + name + "' was changed by another request meanwhile");
  }
}
