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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
  private static final Pattern CALLS_PER_VERSION = Pattern.compile("\"([0-9.]+)\":([0-9]+)");
  private static final Pattern HTTP2_CONNECTIONS = Pattern.compile("\"http2Connections\":([0-9]+)");

  private final Process process;
  private final int port;
  private final Http2Ports http2;
  private final Path logFile;
  private final Thread killOnExit;

  /**
   * HTTP/2 besides HTTP/1.1: with prior knowledge ({@link #h2cUrl}), and, given the server's
   * certificate chain and key (PEM files), over TLS ({@link #tlsUrl}) where the handshake (ALPN)
   * offers h2 and http/1.1; at most {@code maxConcurrentStreams} streams per connection; a
   * connection's {@code callsPerConnection}-th call is its last (0: no limit): the server then says
   * GOAWAY, and refuses the calls on later streams unprocessed.
   */
  public record Http2(
      Path certificate, Path privateKey, int maxConcurrentStreams, int callsPerConnection) {
    /** Cleartext HTTP/2 only. */
    public static final Http2 CLEARTEXT = new Http2(null, null, 100, 0);

    public Http2 {
      if ((certificate == null) != (privateKey == null)) {
        throw new IllegalArgumentException("certificate and privateKey go together");
      }
      if (maxConcurrentStreams <= 0) {
        throw new IllegalArgumentException("maxConcurrentStreams must be positive");
      }
      if (callsPerConnection < 0) {
        throw new IllegalArgumentException("callsPerConnection must not be negative");
      }
    }
  }

  private record Http2Ports(Http2 settings, int h2cPort, int tlsPort) {}

  private NodeFunctionServer(Process process, int port, Http2Ports http2, Path logFile) {
    this.process = process;
    this.port = port;
    this.http2 = http2;
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
    return start((Http2) null);
  }

  /** {@link #start()}, also serving HTTP/2 as {@code http2} says (null: HTTP/1.1 only). */
  public static NodeFunctionServer start(Http2 http2) {
    return start(
        NodePeer.locate(System.getProperty(NodePeer.ROOT_PROPERTY), Path.of("")),
        LOG_DIR.toAbsolutePath(),
        http2);
  }

  /** Starts the peer in {@code peerDir}, writing logs into {@code logDir}. */
  public static NodeFunctionServer start(Path peerDir, Path logDir) {
    return start(peerDir, logDir, null);
  }

  private static NodeFunctionServer start(Path peerDir, Path logDir, Http2 http2) {
    Objects.requireNonNull(peerDir, "peerDir");
    Objects.requireNonNull(logDir, "logDir");
    Path node = NodeTools.node();
    NodePeer.install(peerDir, logDir.resolve("npm-ci.log"));
    // a port free a moment ago can be taken before Node binds it; then try another one
    IllegalStateException failure = null;
    for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      int port = freePort();
      Http2Ports ports =
          http2 == null
              ? null
              : new Http2Ports(http2, freePort(), http2.certificate() == null ? -1 : freePort());
      Path logFile = logDir.resolve("node-" + port + ".log");
      try {
        return new NodeFunctionServer(
            launch(node, peerDir, command(node, port, ports), port, logFile), port, ports, logFile);
      } catch (PortTakenException e) {
        failure = e;
      }
    }
    throw failure;
  }

  private static List<String> command(Path node, int port, Http2Ports http2) {
    List<String> command =
        new ArrayList<>(List.of(node.toString(), "functions.js", "--port", Integer.toString(port)));
    if (http2 != null) {
      command.addAll(
          List.of(
              "--h2c-port",
              Integer.toString(http2.h2cPort()),
              "--h2-max-streams",
              Integer.toString(http2.settings().maxConcurrentStreams()),
              "--h2-calls-per-connection",
              Integer.toString(http2.settings().callsPerConnection())));
      if (http2.tlsPort() > 0) {
        command.addAll(
            List.of(
                "--h2-port",
                Integer.toString(http2.tlsPort()),
                "--tls-cert",
                http2.settings().certificate().toString(),
                "--tls-key",
                http2.settings().privateKey().toString()));
      }
    }
    return command;
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
    return url("http", port, functionTypeOrPath);
  }

  /** {@link #url} on the port that speaks HTTP/2 with prior knowledge (h2c). */
  public URI h2cUrl(String functionTypeOrPath) {
    return url("http", http2().h2cPort(), functionTypeOrPath);
  }

  /** {@code https://127.0.0.1:<port>/...}: the port that speaks HTTP/2 or HTTP/1.1 over TLS. */
  public URI tlsUrl(String functionTypeOrPath) {
    if (http2().tlsPort() < 0) {
      throw new IllegalStateException("this server was started without a certificate");
    }
    return url("https", http2().tlsPort(), functionTypeOrPath);
  }

  private static URI url(String scheme, int port, String functionTypeOrPath) {
    Objects.requireNonNull(functionTypeOrPath, "functionTypeOrPath");
    String path =
        functionTypeOrPath.startsWith("/") ? functionTypeOrPath.substring(1) : functionTypeOrPath;
    return URI.create(scheme + "://127.0.0.1:" + port + "/" + path);
  }

  private Http2Ports http2() {
    if (http2 == null) {
      throw new IllegalStateException("this server was started without HTTP/2");
    }
    return http2;
  }

  /**
   * The function calls (POSTs) served so far per HTTP version, {@code "1.1"} and {@code "2.0"},
   * over every port.
   */
  public Map<String, Integer> callsPerHttpVersion() {
    Map<String, Integer> calls = new TreeMap<>();
    Matcher entry = CALLS_PER_VERSION.matcher(stats());
    while (entry.find()) {
      calls.put(entry.group(1), Integer.parseInt(entry.group(2)));
    }
    return calls;
  }

  /** The HTTP/2 connections accepted so far, over every port. */
  public int http2Connections() {
    Matcher entry = HTTP2_CONNECTIONS.matcher(stats());
    if (!entry.find()) {
      throw new IllegalStateException("no http2Connections in the server's /stats");
    }
    return Integer.parseInt(entry.group(1));
  }

  private String stats() {
    HttpRequest stats =
        HttpRequest.newBuilder(url("/stats")).timeout(Duration.ofSeconds(5)).GET().build();
    String json;
    try {
      json = HttpClient.newHttpClient().send(stats, HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the Node function server's /stats", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while reading /stats", e);
    }
    return json;
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

  private static Process launch(
      Path node, Path peerDir, List<String> command, int port, Path logFile) {
    Process process;
    try {
      Files.createDirectories(logFile.getParent());
      process =
          new ProcessBuilder(command)
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
