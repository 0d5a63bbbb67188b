package io.stateweave.sdk.reqreply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.sdk.Address;
import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.ValueSpec;
import io.stateweave.sdk.reqreply.generated.FromFunction;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The handler over real HTTP on the loopback address, with the JDK's client. */
class RequestReplyServerTest {
  static final ValueSpec<Integer> COUNT = ValueSpec.named("count").withIntType();

  /** {@code test/counter}: counts its messages in {@link #COUNT} and replies with the count. */
  static StatefulFunctions withCounter() {
    return new StatefulFunctions()
        .bind(
            "test/counter",
            (context, message) -> {
              int count = context.storage().get(COUNT).orElse(0) + 1;
              context.storage().set(COUNT, count);
              context.reply(TypedValue.of(count));
            },
            COUNT);
  }

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final RequestReplyServer server =
      RequestReplyServer.start(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
          "/statefun",
          withCounter()
              .bind(
                  "test/failing",
                  (context, message) -> {
                    throw new IllegalStateException("broken on purpose");
                  }));

  @AfterEach
  void close() {
    server.close();
  }

  @Test
  void answersAPostWithTheFromFunction() throws Exception {
    Batches batch =
        Batches.to(Address.of("test/counter", "a"))
            .state(COUNT, 41)
            .message(Address.of("test/caller", "c"), TypedValue.of("hit"));

    HttpResponse<byte[]> response = post("/statefun", batch.build().toByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    FromFunction answer = FromFunction.parseFrom(response.body());
    assertThat(answer.getInvocationResult().getOutgoingMessages(0).getArgument())
        .isEqualTo(Batches.typed(TypedValue.of(42)));
  }

  @Test
  void servesPathsBelowItsPathToo() throws Exception {
    HttpResponse<byte[]> response =
        post(
            "/statefun/counter",
            Batches.to(Address.of("test/counter", "a"))
                .message(TypedValue.of("hit"))
                .build()
                .toByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(FromFunction.parseFrom(response.body()).hasIncompleteInvocationContext()).isTrue();
  }

  @Test
  void aFailingFunctionIsA500WithTheReason() throws Exception {
    HttpResponse<byte[]> response =
        post(
            "/statefun",
            Batches.to(Address.of("test/failing", "f"))
                .message(TypedValue.of("x"))
                .build()
                .toByteArray());

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(new String(response.body(), "UTF-8"))
        .contains("Function test/failing (id 'f') failed")
        .contains("broken on purpose");
  }

  @Test
  void garbageIsA500AndOnlyPostIsServed() throws Exception {
    assertThat(post("/statefun", new byte[] {(byte) 0xff}).statusCode()).isEqualTo(500);

    HttpResponse<String> get =
        client.send(
            HttpRequest.newBuilder(uri("/statefun")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
  }

  @Test
  void closeStopsListening() {
    server.close();

    assertThatThrownBy(() -> post("/statefun", new byte[0])).isInstanceOf(ConnectException.class);
  }

  @Test
  void thePathMustBeAbsolute() {
    assertThatThrownBy(
            () ->
                RequestReplyServer.start(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    "statefun",
                    new StatefulFunctions()))
        .hasMessageContaining("must start with '/'");
  }

  private HttpResponse<byte[]> post(String path, byte[] body)
      throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }
}
