package io.stateweave.sdk.reqreply;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.ValueSpec;
import io.stateweave.sdk.reqreply.generated.FromFunction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the server does on one TCP connection, written byte by byte: keep-alive, pipelining, a
 * request that arrives in pieces, and a function that blocks.
 */
class RequestReplyServerConnectionTest {
  private static final ValueSpec<Integer> COUNT = RequestReplyServerTest.COUNT;
  private static final Address CALLER = Address.of("test/caller", "c");

  private final CountDownLatch releaseBlocked = new CountDownLatch(1);
  private final CountDownLatch blockedEntered = new CountDownLatch(1);

  private final RequestReplyServer server =
      RequestReplyServer.start(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
          "/statefun",
          RequestReplyServerTest.withCounter()
              .bind(
                  "test/sleepy",
                  (context, message) -> {
                    Thread.sleep(message.asInt());
                    context.reply(TypedValue.of("slept " + message.asInt()));
                  })
              .bind(
                  "test/blocked",
                  (context, message) -> {
                    blockedEntered.countDown();
                    releaseBlocked.await();
                    context.reply(TypedValue.of("released"));
                  }));

  @AfterEach
  void close() {
    releaseBlocked.countDown();
    server.close();
  }

  @Test
  void answersRequestAfterRequestOnOneConnection() throws Exception {
    try (Connection connection = new Connection()) {
      for (int count = 1; count <= 3; count++) {
        connection.write(post("/statefun", counter(count * 10)));
          assertThat(reply(connection.readResponse())).isEqualTo(TypedValue.of(count * 10 + 1));
      }
    }
  }

  @Test
  void answersPipelinedRequestsInTheirOrder() throws Exception {
    try (Connection connection = new Connection()) {
      // the first takes longest: answered in the order they were done, it would come last
      connection.write(
          concat(
              post("/statefun", sleepy(300)),
              post("/statefun", sleepy(0)),
              post("/statefun", counter(1))));

      List<TypedValue> replies = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        replies.add(reply(connection.readResponse()));
      }

      assertThat(replies)
          .containsExactly(TypedValue.of("slept 300"), TypedValue.of("slept 0"), TypedValue.of(2));
    }
  }

  @Test
  void answersARequestThatArrivesInPieces() throws Exception {
    byte[] request = post("/statefun", counter(5));
    int headersEnd = indexOf(request, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII)) + 4;
    try (Connection connection = new Connection()) {
      // a part of the headers, the rest of them, then the body, each read on its own
      connection.write(Arrays.copyOfRange(request, 0, 10));
      Thread.sleep(200);
      connection.write(Arrays.copyOfRange(request, 10, headersEnd));
      Thread.sleep(200);
      connection.write(Arrays.copyOfRange(request, headersEnd, request.length));

      assertThat(reply(connection.readResponse())).isEqualTo(TypedValue.of(6));
    }
  }

  @Test
  void otherPathsAreNotFound() throws Exception {
    try (Connection connection = new Connection()) {
      connection.write(concat(post("/other", counter(1)), post("/statefunny", counter(1))));

      Response other = connection.readResponse();
      Response prefix = connection.readResponse();

      assertThat(other.status()).isEqualTo(404);
      assertThat(other.text()).isEqualTo("Nothing is served at /other");
      assertThat(prefix.status()).isEqualTo(404);
    }
  }

  @Test
  void aBlockedFunctionHoldsUpOnlyItsOwnConnection() throws Exception {
    try (Connection blocked = new Connection()) {
      blocked.write(post("/statefun", blocked()));
      assertThat(blockedEntered.await(10, TimeUnit.SECONDS)).isTrue();

      // more connections than event loops, so that some share the blocked connection's loop
      int others = 2 * Runtime.getRuntime().availableProcessors() + 1;
      for (int i = 0; i < others; i++) {
        try (Connection other = new Connection()) {
          other.write(post("/statefun", counter(i)));

          assertThat(reply(other.readResponse())).isEqualTo(TypedValue.of(i + 1));
        }
      }

      releaseBlocked.countDown();
      assertThat(reply(blocked.readResponse())).isEqualTo(TypedValue.of("released"));
    }
  }

  private static byte[] counter(int count) {
    return Batches.to(Address.of("test/counter", "a"))
        .state(COUNT, count)
        .message(CALLER, TypedValue.of("hit"))
        .build()
        .toByteArray();
  }

  private static byte[] sleepy(int millis) {
    return Batches.to(Address.of("test/sleepy", "s"))
        .message(CALLER, TypedValue.of(millis))
        .build()
        .toByteArray();
  }

  private static byte[] blocked() {
    return Batches.to(Address.of("test/blocked", "b"))
        .message(CALLER, TypedValue.of("wait"))
        .build()
        .toByteArray();
  }

  private static byte[] post(String path, byte[] body) {
    byte[] head =
        ("POST "
                + path
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Length: "
                + body.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    return concat(head, body);
  }

  private static TypedValue reply(Response response) throws IOException {
    assertThat(response.status()).isEqualTo(200);
    io.stateweave.sdk.reqreply.generated.TypedValue argument =
        FromFunction.parseFrom(response.body()).getInvocationResult().getOutgoingMessages(0).getArgument();
    return Protos.fromProto(argument);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] bytes, byte[] part) {
    for (int i = 0; i + part.length <= bytes.length; i++) {
      if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
        return i;
      }
    }
    throw new IllegalArgumentException("not found");
  }

  private record Response(int status, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** A plain socket to the server; Netty's decoder reads the responses off it. */
  private final class Connection implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final EmbeddedChannel decoder =
        new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20));

    Connection() throws IOException {
      socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
      socket.setSoTimeout(10_000);
      socket.setTcpNoDelay(true);
      out = socket.getOutputStream();
      in = socket.getInputStream();
    }

    void write(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    Response readResponse() throws IOException {
      byte[] chunk = new byte[8192];
      FullHttpResponse response;
      while ((response = decoder.readInbound()) == null) {
        int read = in.read(chunk);
        if (read < 0) {
          throw new IOException("The server closed the connection");
        }
        decoder.writeInbound(Unpooled.copiedBuffer(chunk, 0, read));
      }
      try {
        return new Response(response.status().code(), ByteBufUtil.getBytes(response.content()));
      } finally {
        response.release();
      }
    }

    @Override
    public void close() throws IOException {
      decoder.finishAndReleaseAll();
      socket.close();
    }
  }
}
