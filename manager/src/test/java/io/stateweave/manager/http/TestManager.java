package io.stateweave.manager.http;

import io.stateweave.manager.client.StateweaveClient;
import io.stateweave.manager.definition.DefinitionKinds;
import io.stateweave.manager.flink.FakeFlink;
import io.stateweave.manager.flink.FlinkRest;
import io.stateweave.manager.registry.Registry;
import io.stateweave.manager.service.ManagerService;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A manager as {@code stateweave serve} assembles it, in this JVM, on loopback, against a {@link
 * FakeFlink}, with a registry in {@code dataDir}; {@link #restart()} closes and reopens it all on
 * the same directory, as a new manager process would.
 */
public final class TestManager implements AutoCloseable {
  private final Path dataDir;
  private final FakeFlink flink;
  private final String token;
  private Registry registry;
  private ManagerServer server;

  private TestManager(Path dataDir, FakeFlink flink, String token) {
    this.dataDir = dataDir;
    this.flink = flink;
    this.token = token;
    open();
  }

  public static TestManager start(Path dataDir, FakeFlink flink, String token) throws IOException {
    Path jar = dataDir.resolve("job.jar");
    if (!Files.exists(jar)) {
      Files.createDirectories(dataDir);
      try (OutputStream out = Files.newOutputStream(jar);
          JarOutputStream ignored = new JarOutputStream(out, new Manifest())) {
        // an empty job jar: the modules of these tests name no classes
      }
    }
    return new TestManager(dataDir, flink, token);
  }

  public Path jobJar() {
    return dataDir.resolve("job.jar");
  }

  public URI uri() {
    return server.uri();
  }

  public StateweaveClient client() {
    return StateweaveClient.connect(uri(), token);
  }

  public void restart() {
    close();
    open();
  }

  private void open() {
    registry = Registry.open(dataDir, Clock.systemUTC());
    ManagerService service =
        new ManagerService(
            registry,
            new FlinkRest(flink.url(), Duration.ofSeconds(10)),
            DefinitionKinds.standard(),
            dataDir,
            jobJar());
    server =
        ManagerServer.start(
            service, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), token);
  }

  @Override
  public void close() {
    server.close();
    registry.close();
  }
}
