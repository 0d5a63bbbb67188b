package io.stateweave.testinfra.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The configuration directory of one cluster: the distribution's template, then this cluster's
 * loopback addresses, ports and directories, then the caller's extra settings (which win).
 */
final class ClusterConfig {
  static final String LOOPBACK = "127.0.0.1";

  private final Path dir;
  private final Map<String, String> settings;

  private ClusterConfig(Path dir, Map<String, String> settings) {
    this.dir = dir;
    this.settings = Map.copyOf(settings);
  }

  /** Writes {@code <workDir>/conf} (config.yaml and log4j.properties) for a new cluster. */
  static ClusterConfig write(
      FlinkDistribution distribution,
      Path workDir,
      int slotsPerTaskManager,
      Map<String, String> extraConfig) {
    Objects.requireNonNull(extraConfig, "extraConfig");
    if (slotsPerTaskManager < 1) {
      throw new IllegalArgumentException(
          "slotsPerTaskManager must be >= 1, got " + slotsPerTaskManager);
    }
    Map<String, String> settings =
        new LinkedHashMap<>(FlatYaml.read(distribution.configTemplate()));
    settings.putAll(clusterSettings(workDir, slotsPerTaskManager));
    settings.putAll(extraConfig);

    Path dir = workDir.resolve("conf");
    try {
      Files.createDirectories(dir);
      for (String sub : new String[] {"log", "tmp", "plugins", "checkpoints", "savepoints"}) {
        Files.createDirectories(workDir.resolve(sub));
      }
      Files.copy(
          distribution.log4jConfig(),
          dir.resolve("log4j.properties"),
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the cluster directory " + workDir, e);
    }
    FlatYaml.write(dir.resolve("config.yaml"), settings);
    return new ClusterConfig(dir, settings);
  }

  /** The configuration directory written earlier by {@link #write}. */
  static ClusterConfig read(Path workDir) {
    Path dir = workDir.resolve("conf");
    Path file = dir.resolve("config.yaml");
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("no cluster configuration at " + file);
    }
    return new ClusterConfig(dir, FlatYaml.read(file));
  }

  private static Map<String, String> clusterSettings(Path workDir, int slots) {
    Map<String, String> settings = new LinkedHashMap<>();
    // Everything on loopback: nothing of a test cluster is reachable from outside the machine.
    settings.put("jobmanager.rpc.address", LOOPBACK);
    settings.put("jobmanager.bind-host", LOOPBACK);
    settings.put("taskmanager.host", LOOPBACK);
    settings.put("taskmanager.bind-host", LOOPBACK);
    settings.put("rest.address", LOOPBACK);
    settings.put("rest.bind-address", LOOPBACK);
    // The ports others must know in advance; the TaskManagers' own RPC and data ports are
    // left at 0 (the OS picks a free one on the bind host) and reported to the JobManager.
    settings.put("jobmanager.rpc.port", String.valueOf(freePort()));
    int restPort = freePort();
    settings.put("rest.port", String.valueOf(restPort));
    settings.put("rest.bind-port", String.valueOf(restPort));
    settings.put("blob.server.port", String.valueOf(freePort()));
    settings.put("taskmanager.rpc.port", "0");
    settings.put("taskmanager.data.port", "0");

    settings.put("taskmanager.numberOfTaskSlots", String.valueOf(slots));
    // All files of the cluster stay under its work dir, so deleting it leaves nothing behind.
    settings.put("io.tmp.dirs", workDir.resolve("tmp").toString());
    settings.put("execution.checkpointing.dir", workDir.resolve("checkpoints").toUri().toString());
    settings.put(
        "execution.checkpointing.savepoint-dir", workDir.resolve("savepoints").toUri().toString());
    return settings;
  }

  /** A port free on loopback now; bound again by Flink a moment later (a small, accepted race). */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + LOOPBACK, e);
    }
  }

  Path dir() {
    return dir;
  }

  String get(String key) {
    String value = settings.get(key);
    if (value == null) {
      throw new IllegalStateException("the cluster configuration in " + dir + " has no " + key);
    }
    return value;
  }

  String getOrDefault(String key, String fallback) {
    return settings.getOrDefault(key, fallback);
  }

  String restUrl() {
    return "http://" + get("rest.address") + ":" + get("rest.port");
  }
}
