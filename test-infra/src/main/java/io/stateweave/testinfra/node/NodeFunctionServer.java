package io.stateweave.testinfra.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Remote functions written with the official StateFun JavaScript SDK ({@code
 * remote-peers/node/functions.js}), served by Node.js as a separate process on a free loopback
 * port: {@code remote/counter}, {@code remote/greeter}, {@code remote/delayer}, which report to the
 * egress {@code test/out}.
 *
 * <pre>{@code
 * try (NodeFunctionServer node = NodeFunctionServer.start()) {
 *   URI endpoint = node.url("remote/counter");   // any path: the SDK reads the target from the body
 * }
 * }</pre>
 *
 * <p>The first start installs the SDK with {@code npm ci} from the committed lock file (the npm
 * registry must be reachable then); later starts reuse it. Node's output goes to {@link
 * #logFile()}. The process is killed on {@link #close()}, or when the JVM exits.
 */
public final class NodeFunctionServer implements AutoCloseable {
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);
  private static final int START_ATTEMPTS = 3;
  private static final Path LOG_DIR = Path.of("target", "node-function-server");

  private final Process process;
  private final int port;
  private final Path logFile;
  private final Thread killOnExit;

  private NodeFunctionServer(Process process, int port, Path logFile) {
    this.process = process;
    this.port = port;
    this.logFile = logFile;
    this.killOnExit = new Thread(process::destroyForcibly, "kill-node-function-server-" + port);
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /**
   * Starts the peer of this repository (found from the system property {@code stateweave.root},
   * else by walking up from the current folder), logging to {@code target/node-function-server/}
   * under the current folder.
   */
  public static NodeFunctionServer start() {
    return start(
        NodePeer.locate(System.getProperty(NodePeer.ROOT_PROPERTY), Path.of("")),
        LOG_DIR.toAbsolutePath());
  }

  /** Starts the peer in {@code peerDir}, writing logs into {@code logDir}. */
  public static NodeFunctionServer start(Path peerDir, Path logDir) {
    Objects.requireNonNull(peerDir, "peerDir");
    Objects.requireNonNull(logDir, "logDir");
    Path node = NodeTools.node();
    NodePeer.install(peerDir, logDir.resolve("npm-ci.log"));
    // a port free a moment ago can be taken before Node binds it; then try another one
    IllegalStateException failure = null;
    for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      int port = freePort();
      Path logFile = logDir.resolve("node-" + port + ".log");
      try {
        return new NodeFunctionServer(launch(node, peerDir, port, logFile), port, logFile);
      } catch (PortTakenException e) {
        failure = e;
      }
    }
    throw failure;
  }

  /** The port on 127.0.0.1 the functions are served on. */
  public int port() {
    return port;
  }

  /**
   * {@code http://127.0.0.1:<port>/<functionTypeOrPath>}: for a function type ({@code
   * remote/counter}) or a path ({@code /statefun}).
   */
  public URI url(String functionTypeOrPath) {
    Objects.requireNonNull(functionTypeOrPath, "functionTypeOrPath");
    String path =
        functionTypeOrPath.startsWith("/") ? functionTypeOrPath.substring(1) : functionTypeOrPath;
    return URI.create("http://127.0.0.1:" + port + "/" + path);
  }

  /** Node's stdout and stderr: what the functions logged and why they failed. */
  public Path logFile() {
    return logFile;
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway and finds the process gone
    }
  }

  private static Process launch(Path node, Path peerDir, int port, Path logFile) {
    Process process;
    try {
      Files.createDirectories(logFile.getParent());
      process =
          new ProcessBuilder(
                  List.of(node.toString(), "functions.js", "--port", Integer.toString(port)))
              .directory(peerDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + node + " in " + peerDir, e);
    }
    try {
      awaitHealthy(process, port, logFile);
      return process;
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  private static void awaitHealthy(Process process, int port, Path logFile) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest health =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
            .timeout(Duration.ofSeconds(2))
            .GET()
            .build();
    Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        String log = Logs.tail(logFile, 30);
        String message =
            "The Node function server exited with code "
                + process.exitValue()
                + " while starting on port "
                + port
                + "; the end of "
                + logFile
                + ":\n"
                + log;
        throw log.contains("EADDRINUSE")
            ? new PortTakenException(message)
            : new IllegalStateException(message);
      }
      try {
        if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(
            "Interrupted while waiting for the Node function server", e);
      }
      sleep(Duration.ofMillis(100));
    }
    throw new IllegalStateException(
        "The Node function server did not answer on port "
            + port
            + " within "
            + STARTUP_TIMEOUT
            + "; the end of "
            + logFile
            + ":\n"
            + Logs.tail(logFile, 30));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find a free port on the loopback address", e);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the Node function server", e);
    }
  }

  /** Another process bound the port first. */
  private static final class PortTakenException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    PortTakenException(String message) {
      super(message);
    }
  }
}
