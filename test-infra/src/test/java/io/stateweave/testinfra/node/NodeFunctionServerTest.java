package io.stateweave.testinfra.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Starts the real Node peer (installing the SDK with npm ci the first time). */
class NodeFunctionServerTest {
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void startsAnswersAndStopsOnClose() throws Exception {
    NodeFunctionServer server = NodeFunctionServer.start();
    URI health;
    try {
      assertThat(server.url("remote/counter"))
          .isEqualTo(URI.create("http://127.0.0.1:" + server.port() + "/remote/counter"));
      assertThat(server.url("/statefun"))
          .isEqualTo(URI.create("http://127.0.0.1:" + server.port() + "/statefun"));
      health = server.url("health");
      assertThat(get(health).statusCode()).isEqualTo(200);
      assertThat(server.logFile())
          .content()
          .contains("listening on http://127.0.0.1:" + server.port());
      assertThat(server.isRunning()).isTrue();
    } finally {
      server.close();
    }

    assertThat(server.isRunning()).isFalse();
    assertThatThrownBy(() -> get(health)).isInstanceOf(ConnectException.class);
  }

  @Test
  void aRequestThatIsNotAToFunctionIsA500() throws Exception {
    try (NodeFunctionServer server = NodeFunctionServer.start()) {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(server.url("remote/counter"))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0xff}))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(500);
    }
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return client.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
