package io.stateweave.flink.remote;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.stateweave.sdk.reqreply.generated.FromFunction;
import io.stateweave.sdk.reqreply.generated.ToFunction;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.apache.flink.statefun.sdk.java.StatefulFunctions;
import org.apache.flink.statefun.sdk.java.handler.RequestReplyHandler;
import org.apache.flink.statefun.sdk.java.slice.Slices;

/**
 * Serves functions of the official StateFun Java SDK over HTTP on 127.0.0.1, like a user's remote
 * function service, and records every exchange (parsed with our own protocol classes). A fault hook
 * runs before the SDK sees a request: it may delay it or answer with an error status instead.
 */
final class SdkServer implements AutoCloseable {

  /** Runs before the SDK handles request number {@code number} (from 1); a status replaces it. */
  interface Fault {
    Integer before(int number, ToFunction request) throws Exception;
  }

  /** A request and the SDK's answer to it. */
  record Exchange(String path, ToFunction request, FromFunction response) {}

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final RequestReplyHandler handler;
  private final AtomicInteger requests = new AtomicInteger();
  private final List<Exchange> exchanges = new ArrayList<>();
  private volatile Fault fault = (number, request) -> null;

  private SdkServer(StatefulFunctions functions, HttpServer server) {
    this.handler = functions.requestReplyHandler();
    this.server = server;
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  static SdkServer start(StatefulFunctions functions) throws IOException {
    return new SdkServer(
        functions, HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
  }

  /** Serves over TLS; {@code needClientAuth}: a client must show a certificate the server trusts. */
  static SdkServer startTls(StatefulFunctions functions, SSLContext tls, boolean needClientAuth)
      throws IOException {
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(
        new HttpsConfigurator(tls) {
          @Override
          public void configure(HttpsParameters parameters) {
            SSLParameters ssl = tls.getDefaultSSLParameters();
            ssl.setNeedClientAuth(needClientAuth);
            parameters.setSSLParameters(ssl);
          }
        });
    return new SdkServer(functions, server);
  }

  /** An endpoint's {@code urlPathTemplate} for this server. */
  String urlPathTemplate() {
    String scheme = server instanceof HttpsServer ? "https" : "http";
    return scheme + "://127.0.0.1:" + server.getAddress().getPort() + "/{function.name}";
  }

  /** A URL template where nothing listens: every connection is refused. */
  static String deadUrlPathTemplate() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort() + "/{function.name}";
    }
  }

  void fault(Fault fault) {
    this.fault = fault;
  }

  int requests() {
    return requests.get();
  }

  /** The exchanges the SDK answered, in the order the answers were given. */
  List<Exchange> exchanges() {
    synchronized (exchanges) {
      return List.copyOf(exchanges);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      ToFunction request = ToFunction.parseFrom(body);
      Integer status;
      try {
        status = fault.before(requests.incrementAndGet(), request);
      } catch (Exception e) {
        status = 599;
      }
      if (status != null) {
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      byte[] answer = handler.handle(Slices.wrap(body)).join().toByteArray();
      synchronized (exchanges) {
        exchanges.add(
            new Exchange(
                exchange.getRequestURI().getPath(), request, FromFunction.parseFrom(answer)));
      }
      exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
      exchange.sendResponseHeaders(200, answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
