package io.stateweave.manager.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Java client of the Stateweave manager. Every call blocks until the manager has done what was
 * asked (a stop returns once the savepoint is complete). A refusal is thrown as the {@link
 * StateweaveException} of its class: {@link BadRequestException} (400), {@link
 * UnauthorizedException} (401), {@link NotFoundException} (404), {@link ConflictException} (409),
 * {@link ServerException} (500, with Flink's message). A manager that cannot be reached is an
 * {@link UncheckedIOException}.
 */
public final class StateweaveClient {
  /** Operations wait for the cluster: a stop with savepoint of a large state takes a while. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(10);

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final URI base;
  private final String token;
  private final HttpClient http;

  private StateweaveClient(URI base, String token) {
    String text = base.toString();
    this.base = URI.create(text.endsWith("/") ? text : text + "/");
    this.token = token;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** A client of the manager at {@code base}, e.g. {@code http://127.0.0.1:8090}. */
  public static StateweaveClient connect(URI base) {
    return new StateweaveClient(Objects.requireNonNull(base, "base"), null);
  }

  /** A client that sends {@code token} as its bearer token (null: none). */
  public static StateweaveClient connect(URI base, String token) {
    return new StateweaveClient(Objects.requireNonNull(base, "base"), token);
  }

  /** Validates and registers a definition; it does not start it. */
  public Definition create(DefinitionRequest definition) {
    return send("POST", "v1/definitions", definition, Definition.class);
  }

  /** Starts the definition from its latest savepoint, or from scratch when it has none. */
  public Definition start(String name) {
    return send("POST", path(name) + "/start", Map.of(), Definition.class);
  }

  /** Starts the definition from {@code savepoint}, one of its {@link #savepoints}. */
  public Definition start(String name, String savepoint) {
    return send("POST", path(name) + "/start", Map.of("savepoint", savepoint), Definition.class);
  }

  /** Stops the running job with a savepoint; returns it. */
  public Savepoint stop(String name) {
    return send("POST", path(name) + "/stop", Map.of(), Savepoint.class);
  }

  /** Stops the job with a savepoint when it runs, then starts it from the latest savepoint. */
  public Definition restart(String name) {
    return send("POST", path(name) + "/restart", Map.of(), Definition.class);
  }

  /** Every definition whose name matches {@code pattern} ({@code *} and {@code ?}; null: all). */
  public List<Definition> show(String pattern) {
    String query =
        pattern == null ? "" : "?pattern=" + URLEncoder.encode(pattern, StandardCharsets.UTF_8);
    return send("GET", "v1/definitions" + query, null, new TypeReference<List<Definition>>() {});
  }

  /** The definition, with its status read from the cluster and its history. */
  public Definition get(String name) {
    return send("GET", path(name), null, Definition.class);
  }

  /** Removes the definition, stopping its job with a savepoint first when it runs; returns that. */
  public Optional<Savepoint> drop(String name) {
    JsonNode answer = send("DELETE", path(name), null, JsonNode.class);
    JsonNode savepoint = answer.path("savepoint");
    return savepoint.isObject()
        ? Optional.of(JSON.convertValue(savepoint, Savepoint.class))
        : Optional.empty();
  }

  /** The definition's savepoints, newest first. */
  public List<Savepoint> savepoints(String name) {
    return send("GET", path(name) + "/savepoints", null, new TypeReference<List<Savepoint>>() {});
  }

  private static String path(String name) {
    Objects.requireNonNull(name, "name");
    return "v1/definitions/" + URLEncoder.encode(name, StandardCharsets.UTF_8);
  }

  private <T> T send(String method, String path, Object body, Class<T> type) {
    return JSON.convertValue(exchange(method, path, body), type);
  }

  private <T> T send(String method, String path, Object body, TypeReference<T> type) {
    return JSON.convertValue(exchange(method, path, body), type);
  }

  private JsonNode exchange(String method, String path, Object body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(REQUEST_TIMEOUT)
            .header("Accept", "application/json");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      if (body == null) {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        request.header("Content-Type", "application/json");
        request.method(
            method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      }
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      JsonNode answer = parse(response.body());
      if (response.statusCode() / 100 == 2) {
        return answer;
      }
      throw refusal(response.statusCode(), answer.path("message").asText(response.body()));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot reach the Stateweave manager at " + base + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the manager", e);
    }
  }

  private static JsonNode parse(String body) {
    try {
      return body.isEmpty() ? JSON.nullNode() : JSON.readTree(body);
    } catch (JsonProcessingException e) {
      // not the manager's JSON (a proxy's page, say): keep the text for the message
      return JSON.getNodeFactory().objectNode().put("message", body);
    }
  }

  private static StateweaveException refusal(int status, String message) {
    return switch (status) {
      case 400 -> new BadRequestException(message);
      case 401 -> new UnauthorizedException(message);
      case 404 -> new NotFoundException(message);
      case 409 -> new ConflictException(message);
      default -> new ServerException(status == 500 ? message : "HTTP " + status + ": " + message);
    };
  }
}
