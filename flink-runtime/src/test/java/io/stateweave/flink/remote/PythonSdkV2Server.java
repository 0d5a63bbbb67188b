package io.stateweave.flink.remote;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.stateweave.flink.remote.v2.generated.FromFunction;
import io.stateweave.flink.remote.v2.generated.ToFunction;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves functions of {@link PythonSdkV2} on 127.0.0.1 as a 2.x user's Flask app did ({@code POST}
 * of a {@code ToFunction}, answer {@code application/octet-stream}, 500 when the function fails),
 * and records every exchange.
 */
final class PythonSdkV2Server implements AutoCloseable {

  /** A request and the answer to it (null for a 500). */
  record Exchange(String path, ToFunction request, FromFunction response) {}

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final PythonSdkV2 functions;
  private final List<Exchange> exchanges = new ArrayList<>();

  private PythonSdkV2Server(PythonSdkV2 functions) throws IOException {
    this.functions = functions;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  static PythonSdkV2Server start(PythonSdkV2 functions) throws IOException {
    return new PythonSdkV2Server(functions);
  }

  /** The URL of a path on this server, e.g. {@code /statefun}. */
  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** The exchanges, in the order the answers were given. */
  List<Exchange> exchanges() {
    synchronized (exchanges) {
      return List.copyOf(exchanges);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      byte[] answer;
      try {
        answer = functions.handle(body);
      } catch (Exception e) {
        record(exchange, body, null);
        exchange.sendResponseHeaders(500, -1);
        return;
      }
      record(exchange, body, FromFunction.parseFrom(answer));
      exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
      exchange.sendResponseHeaders(200, answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    }
  }

  private void record(HttpExchange exchange, byte[] body, FromFunction answer) throws IOException {
    synchronized (exchanges) {
      exchanges.add(
          new Exchange(exchange.getRequestURI().getPath(), ToFunction.parseFrom(body), answer));
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
