package io.stateweave.sdk.reqreply;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.StatefulFunctionsProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves a {@link RequestReplyHandler} over HTTP with the JDK's own server: a POST to the path (or
 * below it, so that {@code urlPathTemplate}s like {@code /statefun/{function.name}} work) carries a
 * {@code ToFunction} and is answered with a {@code FromFunction}. As with the official SDKs the
 * target function comes from the request body, not from the path. A request that fails is answered
 * with 500 and a plain-text message; the runtime retries it.
 *
 * <pre>{@code
 * try (RequestReplyServer server =
 *     RequestReplyServer.start(new InetSocketAddress(8000), "/statefun", functions)) { ... }
 * }</pre>
 *
 * <p>From the command line: {@code java -cp ... io.stateweave.sdk.reqreply.RequestReplyServer
 * --port 8000 --provider com.example.MyFunctions}; see {@link #main}.
 */
public final class RequestReplyServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RequestReplyServer.class.getName());

  /**
   * The JDK server writes a response's headers and its body in two writes; with Nagle's algorithm
   * on, the body waits for the client's delayed ACK of the headers, about 40 ms per call on
   * loopback (measured: 48 ms per call without, 1.2 ms with). The server reads this property once,
   * when the JVM's first {@code HttpServer} is created, so it is set here unless the user chose.
   */
  private static final String NO_DELAY = "sun.net.httpserver.nodelay";

  static {
    if (System.getProperty(NO_DELAY) == null) {
      System.setProperty(NO_DELAY, "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final String path;

  private RequestReplyServer(HttpServer server, ExecutorService executor, String path) {
    this.server = server;
    this.executor = executor;
    this.path = path;
  }

  /**
   * Starts serving the functions bound in {@code functions} on {@code address} (port 0 picks a free
   * port, see {@link #port()}) under {@code path}, which starts with a slash.
   */
  public static RequestReplyServer start(
      InetSocketAddress address, String path, StatefulFunctions functions) {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(path, "path");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("The path must start with '/', got '" + path + "'");
    }
    RequestReplyHandler handler = RequestReplyHandler.of(functions);
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot listen on " + address + ": " + e.getMessage(), e);
    }
    ExecutorService executor = Executors.newFixedThreadPool(threads(), new Threads());
    server.setExecutor(executor);
    server.createContext(path, exchange -> serve(handler, exchange));
    server.start();
    return new RequestReplyServer(server, executor, path);
  }

  /** The port it listens on, also when it was started with port 0. */
  public int port() {
    return server.getAddress().getPort();
  }

  public String path() {
    return path;
  }

  /** Stops at once: requests being handled are cut off, as the runtime retries them anyway. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /**
   * {@code --provider <class>} (required: a {@link StatefulFunctionsProvider} with a public
   * no-argument constructor), {@code --port <port>} (default 8000), {@code --host <address>}
   * (default all interfaces), {@code --path <path>} (default {@code /}). Runs until the JVM is
   * stopped.
   */
  public static void main(String[] args) throws InterruptedException {
    ServerOptions options;
    try {
      options = ServerOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(ServerOptions.USAGE);
      System.exit(2);
      return;
    }
    StatefulFunctions functions = instantiate(options.provider()).functions();
    RequestReplyServer server =
        start(new InetSocketAddress(options.host(), options.port()), options.path(), functions);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                }));
    System.out.println(
        "Serving "
            + functions.bindings().keySet()
            + " on http://"
            + options.host()
            + ":"
            + server.port()
            + options.path());
    stopped.await();
  }

  private static StatefulFunctionsProvider instantiate(String className) {
    Object provider;
    try {
      provider = Class.forName(className).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException(
          "Cannot create the provider "
              + className
              + " (is it on the class path, with a public no-argument constructor?): "
              + e,
          e);
    }
    if (!(provider instanceof StatefulFunctionsProvider)) {
      throw new IllegalArgumentException(
          className + " does not implement " + StatefulFunctionsProvider.class.getName());
    }
    return (StatefulFunctionsProvider) provider;
  }

  private static void serve(RequestReplyHandler handler, HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "POST");
        respond(exchange, 405, "text/plain; charset=utf-8", bytes("Only POST is served here"));
        return;
      }
      byte[] request;
      try (InputStream in = exchange.getRequestBody()) {
        request = in.readAllBytes();
      }
      byte[] answer;
      try {
        answer = handler.handle(request);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "Request to " + exchange.getRequestURI() + " failed", e);
        respond(exchange, 500, "text/plain; charset=utf-8", bytes(e.getMessage()));
        return;
      }
      respond(exchange, 200, "application/octet-stream", answer);
    }
  }

  private static void respond(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    // -1: no body, as HttpServer encodes an empty one
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static byte[] bytes(String message) {
    return String.valueOf(message).getBytes(StandardCharsets.UTF_8);
  }

  /** Functions are mostly CPU-bound, but may block; a few threads beyond the cores are cheap. */
  private static int threads() {
    return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
  }

  /** Daemon threads, so that a server that was never closed does not keep a JVM alive. */
  private static final class Threads implements java.util.concurrent.ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, "stateweave-reqreply-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }
}
