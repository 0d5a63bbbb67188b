package io.stateweave.testinfra.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** GETs on Flink's REST API, read as JSON trees. */
final class RestClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final String baseUrl;
  private final HttpClient http;

  RestClient(String baseUrl) {
    this.baseUrl = baseUrl;
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  /** The JSON of a 200 answer; empty while the server is not reachable (still starting). */
  Optional<JsonNode> tryGet(String path) {
    try {
      return Optional.of(get(path));
    } catch (RestException e) {
      if (e.unreachable) {
        return Optional.empty();
      }
      throw e;
    }
  }

  JsonNode get(String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT).GET().build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new RestException("GET " + baseUrl + path + " failed: " + e, e, true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RestException("interrupted during GET " + baseUrl + path, e, false);
    }
    if (response.statusCode() != 200) {
      throw new RestException(
          "GET " + baseUrl + path + " answered " + response.statusCode() + ": " + response.body(),
          null,
          false);
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new RestException("GET " + baseUrl + path + " answered no JSON: " + response.body(), e, false);
    }
  }

  static final class RestException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient boolean unreachable;

    RestException(String message, Throwable cause, boolean unreachable) {
      super(message, cause);
      this.unreachable = unreachable;
    }
  }
}
