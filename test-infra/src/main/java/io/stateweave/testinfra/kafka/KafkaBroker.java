package io.stateweave.testinfra.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * A real Kafka broker (Kafka 4, KRaft, one combined broker and controller node) running as a
 * separate JVM from the jars that {@code tools/kafka} collects from Maven Central. Listens on
 * 127.0.0.1 only; topics must be created explicitly; transactions work with a single replica.
 *
 * <pre>{@code
 * try (KafkaBroker kafka = KafkaBroker.start(dir)) {
 *     kafka.createTopic("orders", 2);
 *     String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 *
 * <p>Its {@link #main} starts one for local use; {@code tools/kafka/kafka.sh} calls it.
 */
public final class KafkaBroker implements AutoCloseable {

  private static final String BROKER_MAIN = "kafka.Kafka";
  // what kafka-storage.sh runs: 'format' writes meta.properties and the bootstrap metadata
  private static final String STORAGE_TOOL_MAIN = "kafka.tools.StorageTool";

  private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);
  // a clean shutdown flushes logs and closes the metadata log; then it is killed
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  // shorter when the JVM exits: shutdown hooks hold up the exit
  private static final Duration EXIT_STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
  private static final int LOG_TAIL_LINES = 40;
  private static final int FIRST_ERROR_LINES = 12;

  // the broker's heap: enough for tests, small enough to run beside a Flink cluster on 2 cores
  private static final List<String> BROKER_JVM_OPTIONS =
      List.of(
          "-Xms256m",
          "-Xmx1g",
          "-XX:+UseG1GC",
          "-XX:MaxGCPauseMillis=20",
          "-XX:+ExitOnOutOfMemoryError",
          "-Djava.awt.headless=true");
  // the formatter runs for a second or two and writes two small files
  private static final List<String> TOOL_JVM_OPTIONS =
      List.of("-Xmx256m", "-Djava.awt.headless=true");

  static final String LOG_FILE_NAME = "broker.log";
  static final String DATA_DIR_NAME = "data";

  private final Process process;
  private final String bootstrapServers;
  private final Path logFile;
  private final Thread stopOnExit;
  private volatile boolean closed;

  private KafkaBroker(Process process, String bootstrapServers, Path logFile) {
    this.process = process;
    this.bootstrapServers = bootstrapServers;
    this.logFile = logFile;
    // a JVM that exits without close() (a test run cut short, Ctrl-C in the foreground)
    // must not leave a broker running
    this.stopOnExit =
        new Thread(() -> stop(process, EXIT_STOP_TIMEOUT), "kafka-broker-stop-on-exit");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
  }

  /**
   * Formats fresh storage in {@code workDir/data} and starts a broker on free loopback ports;
   * returns once the broker answers clients.
   *
   * @param workDir a directory for the broker's configuration, data and {@value #LOG_FILE_NAME};
   *     created if missing; must not hold data of an earlier broker
   * @throws IllegalStateException if the jars are missing or the broker does not come up; the
   *     message includes the last lines of its log
   */
  public static KafkaBroker start(Path workDir) {
    return start(workDir, 0, false);
  }

  /**
   * @param brokerPort the client port, 0 for a free one
   * @param keepData whether to start on the data an earlier broker left in {@code workDir} instead
   *     of requiring fresh storage
   */
  static KafkaBroker start(Path workDir, int brokerPort, boolean keepData) {
    Objects.requireNonNull(workDir, "workDir");
    if (brokerPort < 0 || brokerPort > 65535) {
      throw new IllegalArgumentException("brokerPort must be in 0..65535, was " + brokerPort);
    }
    Path dir = workDir.toAbsolutePath().normalize();
    Path dataDir = dir.resolve(DATA_DIR_NAME);
    boolean formatted = Files.isRegularFile(dataDir.resolve("meta.properties"));
    if (formatted && !keepData) {
      throw new IllegalArgumentException(
          "Kafka work directory "
              + dir
              + " already holds a broker's data; KafkaBroker.start needs a fresh one");
    }
    Path libs = KafkaLibs.locate();
    BrokerConfig config = newConfig(brokerPort, dataDir);
    Path logFile = dir.resolve(LOG_FILE_NAME);
    Path serverProperties = dir.resolve("server.properties");
    Path log4jProperties = dir.resolve("log4j2.properties");
    try {
      Files.createDirectories(dir);
      Files.writeString(serverProperties, config.serverProperties(), StandardCharsets.UTF_8);
      Files.writeString(log4jProperties, BrokerConfig.log4j2Properties(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the Kafka broker's configuration in " + dir, e);
    }
    if (!formatted) {
      format(libs, serverProperties, log4jProperties, logFile);
    }

    List<String> command = javaCommand(libs, BROKER_JVM_OPTIONS, log4jProperties);
    command.add(BROKER_MAIN);
    command.add(serverProperties.toString());
    Process process = launch(command, dir, logFile, "Kafka broker");
    KafkaBroker broker = new KafkaBroker(process, config.bootstrapServers(), logFile);
    try {
      broker.awaitReady();
      if (formatted) {
        broker.downgradeTransactionVersion();
      }
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
    return broker;
  }

  /** Where clients connect: {@code 127.0.0.1:<port>}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** An idempotent producer of raw records; the caller closes it. */
  public KafkaProducer<byte[], byte[]> producer() {
    return new KafkaRecords(bootstrapServers).producer();
  }

  /**
   * A consumer assigned every partition of {@code topic} from its start, at {@code isolationLevel}
   * ({@code read_committed} or {@code read_uncommitted}); the caller closes it.
   */
  public KafkaConsumer<byte[], byte[]> consumerFromStart(String topic, String isolationLevel) {
    return new KafkaRecords(bootstrapServers).consumerFromStart(topic, isolationLevel);
  }

  /** The CPU time the broker's JVM has used so far (zero once it stopped), for benchmarks. */
  public Duration cpuTime() {
    if (!process.isAlive()) {
      return Duration.ZERO;
    }
    return process.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /** The broker's log, with everything its JVM printed (also the storage formatting). */
  public Path logFile() {
    return logFile;
  }

  /**
   * Creates a topic with one replica per partition and waits until every partition has a leader, so
   * that producers and consumers can use it right away.
   */
  public void createTopic(String name, int partitions) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("topic name must not be blank");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be positive, was " + partitions);
    }
    checkOpen();
    long deadline = System.nanoTime() + TOPIC_TIMEOUT.toNanos();
    try (Admin admin = Admin.create(adminProperties())) {
      admin
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
          .all()
          .get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      while (!allPartitionsLed(admin, name)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "Topic "
                  + name
                  + " on "
                  + bootstrapServers
                  + " has partitions without a leader after "
                  + TOPIC_TIMEOUT.toSeconds()
                  + " s; "
                  + logExcerpt(logFile));
        }
        sleep(POLL_INTERVAL);
      }
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException(
          "Cannot create topic "
              + name
              + " with "
              + partitions
              + " partitions on "
              + bootstrapServers
              + ": "
              + cause,
          cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topic " + name, e);
    }
  }

  /** Stops the broker: asks it to shut down cleanly, then kills it if it does not. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException alreadyExiting) {
      // the hook runs anyway
    }
    stop(process, STOP_TIMEOUT);
  }

  /** The broker's process, for {@link #main}: its pid and its end. */
  Process process() {
    return process;
  }

  /** Leaves the broker running after this JVM exits (local use); it is no longer closed here. */
  void detach() {
    closed = true;
    Runtime.getRuntime().removeShutdownHook(stopOnExit);
  }

  /**
   * Starts a broker for local use; {@code tools/kafka/kafka.sh} calls this. {@code --dir DIR
   * [--port PORT] [--detach]}: keeps the data in DIR across restarts; without {@code --detach} runs
   * until interrupted, with it writes the broker's pid to {@code DIR/broker.pid} and returns,
   * leaving the broker running.
   */
  public static void main(String[] args) {
    System.exit(KafkaBrokerCli.run(args, System.out, System.err));
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    Throwable lastFailure = null;
    try (Admin admin = Admin.create(adminProperties())) {
      while (true) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "Kafka broker exited with code "
                  + process.exitValue()
                  + " while starting; "
                  + logExcerpt(logFile));
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "Kafka broker did not become ready within "
                  + READY_TIMEOUT.toSeconds()
                  + " s at "
                  + bootstrapServers
                  + " (last client error: "
                  + lastFailure
                  + "); "
                  + logExcerpt(logFile));
        }
        try {
          // brokers are listed once registered and unfenced: then they serve clients
          if (!admin
              .describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
              .nodes()
              .get()
              .isEmpty()) {
            return;
          }
        } catch (ExecutionException e) {
          lastFailure = e.getCause();
        }
        sleep(POLL_INTERVAL);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
    }
  }

  /**
   * Data formatted before the broker's transaction version was set (a local broker's kept folder)
   * has Kafka 4's default, 2: set it to {@link BrokerConfig#TRANSACTION_VERSION} as a format of
   * today's would.
   */
  private void downgradeTransactionVersion() {
    String feature = BrokerConfig.TRANSACTION_VERSION_FEATURE;
    try (Admin admin = Admin.create(adminProperties())) {
      FinalizedVersionRange finalized =
          admin.describeFeatures().featureMetadata().get().finalizedFeatures().get(feature);
      if (finalized == null || finalized.maxVersionLevel() <= BrokerConfig.TRANSACTION_VERSION) {
        return;
      }
      admin
          .updateFeatures(
              Map.of(
                  feature,
                  new FeatureUpdate(
                      BrokerConfig.TRANSACTION_VERSION, FeatureUpdate.UpgradeType.SAFE_DOWNGRADE)),
              new UpdateFeaturesOptions())
          .all()
          .get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "Cannot set " + feature + " to " + BrokerConfig.TRANSACTION_VERSION + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while setting " + feature, e);
    }
  }

  private boolean allPartitionsLed(Admin admin, String topic)
      throws InterruptedException, ExecutionException {
    TopicDescription description;
    try {
      description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
    } catch (ExecutionException e) {
      // a topic just created may not be in the broker's metadata yet (seen on a busy machine)
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return false;
      }
      throw e;
    }
    return description.partitions().stream()
        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
  }

  private Properties adminProperties() {
    Properties properties = new Properties();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "stateweave-test-infra");
    properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    // the broker is local: retry a refused connection quickly while it starts
    properties.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 100);
    properties.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
    return properties;
  }

  /**
   * The first error (usually why a start failed; a failing broker then logs its whole shutdown) and
   * the last lines of the log, each under a heading naming the file.
   */
  private static String logExcerpt(Path logFile) {
    String firstError = LogTail.firstError(logFile, FIRST_ERROR_LINES);
    String tail = "last lines of " + logFile + ":\n" + LogTail.of(logFile, LOG_TAIL_LINES);
    return firstError.isEmpty()
        ? tail
        : "first error in " + logFile + ":\n" + firstError + "\n" + tail;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("Kafka broker at " + bootstrapServers + " is closed");
    }
  }

  private static BrokerConfig newConfig(int brokerPort, Path dataDir) {
    if (brokerPort == 0) {
      int[] ports = LoopbackPorts.free(2);
      return new BrokerConfig(ports[0], ports[1], dataDir);
    }
    int controllerPort;
    do {
      controllerPort = LoopbackPorts.free(1)[0];
    } while (controllerPort == brokerPort);
    return new BrokerConfig(brokerPort, controllerPort, dataDir);
  }

  private static void format(Path libs, Path serverProperties, Path log4jProperties, Path logFile) {
    List<String> command = javaCommand(libs, TOOL_JVM_OPTIONS, log4jProperties);
    command.addAll(
        List.of(
            STORAGE_TOOL_MAIN,
            "format",
            "--config",
            serverProperties.toString(),
            "--cluster-id",
            Uuid.randomUuid().toString(),
            "--feature",
            BrokerConfig.TRANSACTION_VERSION_FEATURE + "=" + BrokerConfig.TRANSACTION_VERSION));
    Process process =
        launch(command, serverProperties.getParent(), logFile, "Kafka storage format");
    try {
      if (!process.waitFor(FORMAT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "Kafka storage format did not finish within "
                + FORMAT_TIMEOUT.toSeconds()
                + " s; "
                + logExcerpt(logFile));
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while formatting Kafka storage", e);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          "Kafka storage format failed with exit code "
              + process.exitValue()
              + "; "
              + logExcerpt(logFile));
    }
  }

  private static List<String> javaCommand(
      Path libs, List<String> jvmOptions, Path log4jProperties) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-Dlog4j2.configurationFile=" + log4jProperties);
    command.add("-cp");
    // the java launcher expands 'dir/*' to every jar in dir
    command.add(libs.resolve("*").toString());
    return command;
  }

  private static Process launch(List<String> command, Path dir, Path logFile, String what) {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + what + ": " + String.join(" ", command), e);
    }
  }

  /** SIGTERM (Kafka shuts down cleanly), then SIGKILL if that takes longer than {@code grace}. */
  private static void stop(Process process, Duration grace) {
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(Duration duration) throws InterruptedException {
    Thread.sleep(duration.toMillis());
  }
}
