package io.stateweave.flink.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.sdk.TypeName;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.statefun.sdk.java.handler.RequestReplyHandler;
import org.apache.flink.statefun.sdk.java.slice.Slices;
import org.junit.jupiter.api.Test;

/**
 * What the remote client does when a server closes a kept-alive connection as a call goes out on
 * it, as the JDK's HttpServer does with all but 200 idle connections: the call goes again on a new
 * connection, without counting as a failed attempt (the harness's policy gives up after one).
 */
final class RemoteConnectionsTest {
  static final TypeName COUNTER = TypeName.parse("remote/counter");

  @Test
  void aCallOnAConnectionTheServerClosesGoesAgainOnANewOne() throws Exception {
    try (OneAnswerPerConnection server =
        new OneAnswerPerConnection(DispatcherHarness.counter(COUNTER).requestReplyHandler())) {
      try (var harness =
          DispatcherHarness.open(DispatcherHarness.endpoint(server.urlPathTemplate(), 10), null)) {
        // a's first call asks for the state; its second goes out on the same connection
        harness.processElement(DispatcherHarness.message(COUNTER, "a", "x"));
        DispatcherHarness.awaitMails(harness, () -> DispatcherHarness.egress(harness).size() == 1);
        harness.processElement(DispatcherHarness.message(COUNTER, "b", "y"));
        DispatcherHarness.awaitMails(harness, () -> DispatcherHarness.egress(harness).size() == 2);
        assertThat(DispatcherHarness.egress(harness)).containsExactly("a x n=1", "b y n=1");
        assertThat(server.connections()).hasValue(3);
      }
    }
  }

  /**
   * Answers the first request of every connection with the SDK's handler, and closes the
   * connection when a second request arrives on it, without answering.
   */
  private static final class OneAnswerPerConnection implements AutoCloseable {
    private final ServerSocket socket;
    private final RequestReplyHandler handler;
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;

    OneAnswerPerConnection(RequestReplyHandler handler) throws IOException {
      this.handler = handler;
      this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      this.acceptor = new Thread(this::accept, "one-answer-per-connection");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String urlPathTemplate() {
      return "http://127.0.0.1:" + socket.getLocalPort() + "/{function.name}";
    }

    AtomicInteger connections() {
      return connections;
    }

    private void accept() {
      while (!socket.isClosed()) {
        try {
          Socket connection = socket.accept();
          connections.incrementAndGet();
          Thread serving = new Thread(() -> serve(connection), "serving");
          serving.setDaemon(true);
          serving.start();
        } catch (IOException e) {
          return;
        }
      }
    }

    private void serve(Socket connection) {
      try (connection) {
        InputStream in = connection.getInputStream();
        byte[] body = readRequest(in);
        byte[] answer = handler.handle(Slices.wrap(body)).join().toByteArray();
        OutputStream out = connection.getOutputStream();
        out.write(
            ("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                    + answer.length
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(answer);
        out.flush();
        readRequest(in);
        // the second request on this connection: closed without an answer
      } catch (IOException e) {
        // the client went away
      }
    }

    /** Reads one request; returns its body. */
    private static byte[] readRequest(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("connection closed");
        }
        head.write(b);
        matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      int length = 0;
      for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring("content-length:".length()).trim());
        }
      }
      return in.readNBytes(length);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
