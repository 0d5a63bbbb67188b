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

  /**
   * The JSON of a 200 answer; empty while the server is starting: not reachable yet, answering 503
   * until the JobManager has elected itself leader, or 404 "Cannot connect to ResourceManager"
   * until its resource manager is up (seen on a busy machine).
   */
  Optional<JsonNode> tryGet(String path) {
    try {
      return Optional.of(get(path));
    } catch (RestException e) {
      if (e.notReady) {
        return Optional.empty();
      }
      throw e;
    }
  }

  JsonNode get(String path) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT).GET().build();
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
          response.statusCode() == 503
              || (response.statusCode() == 404
                  && response.body().contains("Cannot connect to ResourceManager")));
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new RestException(
          "GET " + baseUrl + path + " answered no JSON: " + response.body(), e, false);
    }
  }

  static final class RestException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient boolean notReady;

    RestException(String message, Throwable cause, boolean notReady) {
      super(message, cause);
      this.notReady = notReady;
    }
  }
}
