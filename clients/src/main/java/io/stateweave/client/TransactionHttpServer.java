package io.stateweave.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.entity.TransactionRequest;
import io.stateweave.sdk.entity.TransactionResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An HTTP front for transactions: {@code POST /transactions/<namespace>/<name>/<function>/<key>}
 * with a JSON array of arguments as body submits through a {@link TransactionClient} and answers
 * with the result as JSON: status 200 and {@code value} when committed, 409 and {@code error}
 * ({@code class}, {@code message}) when aborted. A {@code Request-Id} header names the request, so
 * that a caller who got no answer (504 after {@code answerTimeout}, or a dropped connection) can
 * send it again and get the first outcome; without one the server makes up an id and returns it.
 *
 * <p>Listens on the loopback interface only: it has no authentication, so whatever exposes it
 * further (a proxy) must add that. The JDK's server; answers are written by a pool of the server's
 * own, so a slow HTTP client never holds up the Kafka client's reading.
 */
public final class TransactionHttpServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "/transactions/";

  private final HttpServer server;
  private final TransactionClient client;
  private final Duration answerTimeout;
  private final ExecutorService responders = Executors.newCachedThreadPool();

  private TransactionHttpServer(HttpServer server, TransactionClient client, Duration timeout) {
    this.server = server;
    this.client = client;
    this.answerTimeout = timeout;
  }

  /** Starts serving on {@code 127.0.0.1:port} (0 picks a free port; see {@link #port()}). */
  public static TransactionHttpServer start(
      int port, TransactionClient client, Duration answerTimeout) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    TransactionHttpServer front = new TransactionHttpServer(server, client, answerTimeout);
    server.createContext(PREFIX, front::handle);
    server.start();
    return front;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void handle(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestMethod().equals("POST")) {
      exchange.getResponseHeaders().add("Allow", "POST");
      respond(exchange, 405, error("expected POST, got " + exchange.getRequestMethod()));
      return;
    }
    TransactionRequest request;
    try (InputStream body = exchange.getRequestBody()) {
      request = request(exchange, body.readAllBytes());
    } catch (IllegalArgumentException e) {
      respond(exchange, 400, error(e.getMessage()));
      return;
    }
    CompletableFuture<TransactionResult> answer;
    try {
      answer = client.submit(request);
    } catch (IllegalStateException closed) {
      respond(exchange, 503, error(closed.getMessage()));
      return;
    }
    answer
        .orTimeout(answerTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenCompleteAsync(
            (result, failure) -> {
              try {
                if (result != null) {
                  respond(exchange, result.committed() ? 200 : 409, json(result));
                } else if (failure instanceof TimeoutException) {
                  ObjectNode timeout =
                      error(
                          "no answer within "
                              + answerTimeout
                              + "; send the request again with this Request-Id");
                  respond(exchange, 504, timeout.put("requestId", request.requestId()));
                } else {
                  respond(exchange, 503, error(String.valueOf(failure)));
                }
              } catch (IOException e) {
                exchange.close(); // the HTTP client went away; the transaction runs anyway
              }
            },
            responders);
  }

  /** The path names the call, the body holds the arguments. */
  private static TransactionRequest request(HttpExchange exchange, byte[] body) {
    String path = exchange.getRequestURI().getRawPath().substring(PREFIX.length());
    String[] parts = path.split("/", -1);
    if (parts.length != 4 || List.of(parts).stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException(
          "expected a path /transactions/<namespace>/<name>/<function>/<key>, got "
              + exchange.getRequestURI().getRawPath());
    }
    TypeName entityType = TypeName.parse(decode(parts[0]) + "/" + decode(parts[1]));
    String requestId = exchange.getRequestHeaders().getFirst("Request-Id");
    return TransactionRequest.of(
        requestId == null ? UUID.randomUUID().toString() : requestId,
        entityType,
        decode(parts[2]),
        decode(parts[3]),
        arguments(body).toArray());
  }

  private static String decode(String segment) {
    return URLDecoder.decode(segment, StandardCharsets.UTF_8);
  }

  private static List<Object> arguments(byte[] body) {
    if (body.length == 0) {
      return List.of();
    }
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("expected a JSON array of arguments, got invalid JSON");
    }
    if (node == null || !node.isArray()) {
      throw new IllegalArgumentException("expected a JSON array of arguments");
    }
    List<Object> args = new ArrayList<>();
    node.forEach(element -> args.add(value(element)));
    return args;
  }

  /** JSON to the values transactions carry: integers as longs, other numbers as doubles. */
  private static Object value(JsonNode node) {
    if (node.isNull()) {
      return null;
    } else if (node.isBoolean()) {
      return node.booleanValue();
    } else if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.longValue();
    } else if (node.isNumber()) {
      return node.doubleValue();
    } else if (node.isTextual()) {
      return node.textValue();
    } else if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(element -> list.add(value(element)));
      return list;
    }
    throw new IllegalArgumentException(
        "expected arguments that are null, booleans, numbers, strings or arrays, got an object");
  }

  private static ObjectNode json(TransactionResult result) {
    ObjectNode json = JSON.createObjectNode();
    json.put("requestId", result.requestId());
    json.put("transactionId", result.transactionId());
    json.put("sequence", result.sequence());
    json.put("committed", result.committed());
    if (result.committed()) {
      json.set("value", JSON.valueToTree(result.value())); // byte arrays become base64
    } else {
      json.putObject("error")
          .put("class", result.errorClass())
          .put("message", result.errorMessage());
    }
    return json;
  }

  private static ObjectNode error(String message) {
    ObjectNode json = JSON.createObjectNode();
    json.putObject("error").put("message", message);
    return json;
  }

  private static void respond(HttpExchange exchange, int status, ObjectNode body)
      throws IOException {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IOException(e);
    }
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Stops accepting, lets answers in progress finish; the client is the caller's to close. */
  @Override
  public void close() {
    server.stop(0);
    responders.shutdown();
  }

  /**
   * Runs the front as a process: {@code <bootstrap servers> <request topic> <response topic>
   * <port>}; it stops with the process.
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      System.err.println(
          "usage: TransactionHttpServer <bootstrap servers> <request topic> <response topic>"
              + " <port>");
      System.exit(2);
    }
    TransactionClient client =
        TransactionClient.create(args[0], args[1], args[2], Duration.ofSeconds(5), Map.of());
    TransactionHttpServer front =
        start(Integer.parseInt(args[3]), client, Duration.ofSeconds(30));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  front.close();
                  client.close();
                }));
    System.out.println(
        "Serving transactions on http://"
            + front.address().getHostString()
            + ":"
            + front.port()
            + PREFIX);
  }
}
