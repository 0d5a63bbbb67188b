package io.stateweave.manager.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.stateweave.manager.client.BadRequestException;
import io.stateweave.manager.client.DefinitionRequest;
import io.stateweave.manager.client.NotFoundException;
import io.stateweave.manager.client.StateweaveException;
import io.stateweave.manager.client.UnauthorizedException;
import io.stateweave.manager.service.ManagerService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The manager's REST API over the JDK's HTTP server. Routes, all JSON:
 *
 * <pre>
 * POST   /v1/definitions                   create (201)
 * GET    /v1/definitions[?pattern=glob]    show
 * GET    /v1/definitions/NAME              one definition, with its history
 * DELETE /v1/definitions/NAME              drop (stops first when running)
 * POST   /v1/definitions/NAME/start        {"savepoint": path} optional
 * POST   /v1/definitions/NAME/stop         stop with savepoint
 * POST   /v1/definitions/NAME/restart
 * GET    /v1/definitions/NAME/savepoints
 * </pre>
 *
 * Errors are {@code {"error": class, "message": text}} with status 400, 401, 404, 409 or 500.
 */
public final class ManagerServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ManagerServer.class.getName());
  private static final String PREFIX = "/v1/definitions";
  private static final int THREADS = 8;

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private final HttpServer server;
  private final ExecutorService executor;
  private final ManagerService service;
  private final byte[] token;

  private ManagerServer(
      HttpServer server, ExecutorService executor, ManagerService service, String token) {
    this.server = server;
    this.executor = executor;
    this.service = service;
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Serves {@code service} on {@code address} (port 0: any free one); every request must carry
   * {@code Authorization: Bearer <token>} when {@code token} is not null.
   */
  public static ManagerServer start(
      ManagerService service, InetSocketAddress address, String token) {
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address, e);
    }
    // operations wait for the cluster (a savepoint); a few at a time, each on its own thread
    ExecutorService executor = Executors.newFixedThreadPool(THREADS);
    ManagerServer manager = new ManagerServer(server, executor, service, token);
    server.createContext("/", manager::handle);
    server.setExecutor(executor);
    server.start();
    return manager;
  }

  /** The base URL clients use, e.g. {@code http://127.0.0.1:8090}. */
  public URI uri() {
    InetSocketAddress address = server.getAddress();
    return URI.create("http://" + address.getHostString() + ":" + address.getPort());
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdown();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      int status = 200;
      Object answer;
      try {
        authorize(exchange);
        Route route = Route.of(exchange.getRequestMethod(), exchange.getRequestURI());
        if (route.action().equals("create")) {
          status = 201;
        }
        answer = route.apply(service, body(exchange));
      } catch (StateweaveException e) {
        status = e.status();
        answer = error(e.getClass().getSimpleName().replace("Exception", ""), e.getMessage());
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "request failed: " + exchange.getRequestURI(), e);
        status = 500;
        answer = error("Server", e.getMessage() == null ? e.toString() : e.getMessage());
      }
      byte[] bytes = JSON.writeValueAsBytes(answer);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      if (status == 401) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
      }
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  private void authorize(HttpExchange exchange) {
    if (token == null) {
      return;
    }
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    byte[] given =
        header != null && header.startsWith("Bearer ")
            ? header.substring(7).strip().getBytes(StandardCharsets.UTF_8)
            : new byte[0];
    // constant time: the comparison does not tell how much of a guess was right
    if (!MessageDigest.isEqual(given, token)) {
      throw new UnauthorizedException(
          header == null ? "a bearer token is required" : "the bearer token is not valid");
    }
  }

  private static JsonNode body(HttpExchange exchange) throws IOException {
    byte[] bytes = exchange.getRequestBody().readAllBytes();
    if (bytes.length == 0) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new BadRequestException("the request body is not JSON: " + e.getOriginalMessage());
    }
  }

  private static Map<String, String> error(String kind, String message) {
    return Map.of("error", kind, "message", message);
  }

  /** A request's action and the definition it names. */
  private record Route(String action, String name, String query) {
    static Route of(String method, URI uri) {
      String path = uri.getRawPath();
      String query = uri.getRawQuery();
      if (path.equals(PREFIX) || path.equals(PREFIX + "/")) {
        return switch (method) {
          case "GET" -> new Route("show", null, query);
          case "POST" -> new Route("create", null, null);
          default -> throw wrongMethod(method, path);
        };
      }
      if (!path.startsWith(PREFIX + "/")) {
        throw new NotFoundException("no such endpoint: " + path);
      }
      String[] parts = path.substring(PREFIX.length() + 1).split("/", -1);
      String name = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
      String action;
      if (parts.length == 1) {
        action =
            switch (method) {
              case "GET" -> "get";
              case "DELETE" -> "drop";
              default -> throw wrongMethod(method, path);
            };
      } else if (parts.length == 2) {
        action = parts[1];
        boolean read = action.equals("savepoints");
        boolean known =
            read || action.equals("start") || action.equals("stop") || action.equals("restart");
        if (!known) {
          throw new NotFoundException("no such endpoint: " + path);
        }
        if (!method.equals(read ? "GET" : "POST")) {
          throw wrongMethod(method, path);
        }
      } else {
        throw new NotFoundException("no such endpoint: " + path);
      }
      return new Route(action, name, query);
    }

    Object apply(ManagerService service, JsonNode body) {
      return switch (action) {
        case "create" -> service.create(read(body, DefinitionRequest.class));
        case "show" -> service.show(parameter("pattern"));
        case "get" -> service.get(name);
        case "drop" -> {
          var savepoint = service.drop(name);
          yield savepoint.isPresent()
              ? Map.of("dropped", name, "savepoint", savepoint.get())
              : Map.of("dropped", name);
        }
        case "start" -> service.start(name, startFrom(body));
        case "stop" -> service.stop(name);
        case "restart" -> service.restart(name);
        case "savepoints" -> service.savepoints(name);
        default -> throw new IllegalStateException("unrouted action " + action);
      };
    }

    private static String startFrom(JsonNode body) {
      for (var fields = body.fieldNames(); fields.hasNext(); ) {
        String field = fields.next();
        if (!field.equals("savepoint")) {
          throw new BadRequestException(
              "field '" + field + "': unknown; a start takes 'savepoint'");
        }
      }
      JsonNode savepoint = body.path("savepoint");
      return savepoint.isTextual() ? savepoint.asText() : null;
    }

    private String parameter(String key) {
      if (query == null) {
        return null;
      }
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String k = eq < 0 ? pair : pair.substring(0, eq);
        if (URLDecoder.decode(k, StandardCharsets.UTF_8).equals(key)) {
          return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        }
      }
      return null;
    }

    private static <T> T read(JsonNode body, Class<T> type) {
      try {
        return JSON.treeToValue(body, type);
      } catch (JsonProcessingException e) {
        throw new BadRequestException("the request body does not fit: " + e.getOriginalMessage());
      }
    }

    private static NotFoundException wrongMethod(String method, String path) {
      return new NotFoundException("no endpoint " + method + " " + path);
    }
  }
}
