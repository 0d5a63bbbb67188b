package io.stateweave.flink.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.pkitesting.X509Bundle;
import io.stateweave.flink.module.HttpEndpointSpec;
import io.stateweave.flink.module.HttpEndpointSpec.Protocol;
import io.stateweave.sdk.TypeName;
import io.stateweave.testinfra.node.NodeFunctionServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote functions over HTTP/2, served by the official StateFun JavaScript SDK on Node's own
 * HTTP/2 server: with prior knowledge over cleartext (h2c), and over TLS where the handshake
 * chooses it. The server allows only a few concurrent streams per connection, fewer than the calls
 * in flight, so that the calls beyond its limit wait in the connection.
 */
final class RemoteHttp2Test {
  static final TypeName COUNTER = TypeName.parse("remote/counter");
  static final int MAX_CONCURRENT_STREAMS = 4;
  static final int IDS = 40;
  static final int MESSAGES_PER_ID = 5;

  @TempDir static Path files;
  static NodeFunctionServer node;
  static String trustedCas;

  @BeforeAll
  static void start() throws Exception {
    TestCertificates certificates = new TestCertificates();
    X509Bundle server = certificates.server;
    trustedCas =
        Files.writeString(files.resolve("ca.pem"), certificates.authority.getCertificatePEM())
            .toString();
    node =
        NodeFunctionServer.start(
            new NodeFunctionServer.Http2(
                Files.writeString(files.resolve("server.pem"), server.getCertificatePathPEM()),
                Files.writeString(files.resolve("server.key"), server.getPrivateKeyPEM()),
                MAX_CONCURRENT_STREAMS,
                0));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void cleartextHttp2WithPriorKnowledge() throws Exception {
    assertCountsOver(node, node.h2cUrl("") + "{function.name}", Protocol.H2C, "2.0");
  }

  @Test
  void callsTheServerDidNotProcessBeforeItsGoAwayGoAgainOnTheNextConnection() throws Exception {
    int callsPerConnection = 25;
    try (NodeFunctionServer rotating =
        NodeFunctionServer.start(
            new NodeFunctionServer.Http2(null, null, MAX_CONCURRENT_STREAMS, callsPerConnection))) {
      int calls =
          assertCountsOver(
              rotating, rotating.h2cUrl("") + "{function.name}", Protocol.H2C, "2.0");
      assertThat(rotating.http2Connections()).isGreaterThanOrEqualTo(calls / callsPerConnection);
    }
  }

  @Test
  void tlsHandshakeChoosesHttp2WhenTheServerOffersIt() throws Exception {
    assertCountsOver(node, node.tlsUrl("") + "{function.name}", Protocol.AUTO, "2.0");
  }

  @Test
  void http1OverTlsWhenTheEndpointSaysSo() throws Exception {
    assertCountsOver(node, node.tlsUrl("") + "{function.name}", Protocol.HTTP_1_1, "1.1");
  }

  /**
   * Every id's messages are counted in order, and every call went over {@code httpVersion};
   * returns the calls made.
   */
  private static int assertCountsOver(
      NodeFunctionServer node, String urlPathTemplate, Protocol protocol, String httpVersion)
      throws Exception {
    Map<String, Integer> before = node.callsPerHttpVersion();
    HttpEndpointSpec endpoint =
        new HttpEndpointSpec(
            "remote/*",
            urlPathTemplate,
            2,
            HttpEndpointSpec.Timeouts.DEFAULT,
            HttpEndpointSpec.ASYNC_TRANSPORT,
            Map.of(),
            new HttpEndpointSpec.Pool(64, Duration.ofSeconds(15), 1 << 20, protocol),
            new HttpEndpointSpec.Tls(trustedCas, null, null, null));
    List<String> expected = new ArrayList<>();
    try (var harness = DispatcherHarness.open(endpoint, null)) {
      for (int round = 1; round <= MESSAGES_PER_ID; round++) {
        for (int id = 0; id < IDS; id++) {
          harness.processElement(DispatcherHarness.message(COUNTER, "id-" + id, "x"));
          expected.add("id-" + id + ":" + round);
        }
      }
      DispatcherHarness.awaitMails(
          harness, () -> DispatcherHarness.egress(harness).size() == expected.size());
      List<String> out = DispatcherHarness.egress(harness);
      assertThat(out).containsExactlyInAnyOrderElementsOf(expected);
      for (int id = 0; id < IDS; id++) {
        String prefix = "id-" + id + ":";
        assertThat(out.stream().filter(text -> text.startsWith(prefix)))
            .containsExactly(prefix + 1, prefix + 2, prefix + 3, prefix + 4, prefix + 5);
      }
    }
    Map<String, Integer> after = node.callsPerHttpVersion();
    int calls = after.getOrDefault(httpVersion, 0) - before.getOrDefault(httpVersion, 0);
    // batches of at most 2 messages: at least half as many calls as messages
    assertThat(calls).isGreaterThanOrEqualTo(expected.size() / 2);
    assertThat(after).hasSize(before.isEmpty() ? 1 : after.size());
    after.forEach(
        (version, count) -> {
          if (!version.equals(httpVersion)) {
            assertThat(count).as("calls over HTTP " + version).isEqualTo(before.get(version));
          }
        });
    return calls;
  }
}
