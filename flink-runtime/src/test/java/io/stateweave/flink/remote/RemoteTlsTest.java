package io.stateweave.flink.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.flink.module.HttpEndpointSpec;
import io.stateweave.sdk.TypeName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote functions behind {@code https}, with the async transport's certificate settings: the CAs
 * to trust and the client's own certificate, for a server of the official SDK that asks for one.
 */
final class RemoteTlsTest {
  static final TypeName COUNTER = TypeName.parse("remote/counter");

  static TestCertificates certificates;

  @TempDir Path files;
  private SdkServer server;

  @BeforeAll
  static void certificates() throws Exception {
    certificates = new TestCertificates();
  }

  @BeforeEach
  void start() throws Exception {
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(
        certificates.server.toKeyManagerFactory().getKeyManagers(),
        certificates.authority.toTrustManagerFactory().getTrustManagers(),
        null);
    server =
        SdkServer.startTls(DispatcherHarness.counter(COUNTER), tls, true);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void callsAServerItTrustsWithTheCertificateTheServerAsksFor() throws Exception {
    try (var harness = DispatcherHarness.open(endpoint(trustingWithClientCertificate()), null)) {
      harness.processElement(DispatcherHarness.message(COUNTER, "a", "x"));
      harness.processElement(DispatcherHarness.message(COUNTER, "b", "y"));
      DispatcherHarness.awaitMails(harness, () -> DispatcherHarness.egress(harness).size() == 2);
      assertThat(DispatcherHarness.egress(harness)).containsExactlyInAnyOrder("a x n=1", "b y n=1");
    }
  }

  @Test
  void aServerCertificateNotTrustedFailsTheCallNamingFunctionAddressAndUrl() throws Exception {
    // the JVM's default trust store does not know the test CA
    try (var harness = DispatcherHarness.open(endpoint(HttpEndpointSpec.Tls.DEFAULT), null)) {
      harness.processElement(DispatcherHarness.message(COUNTER, "a", "x"));
      assertThatThrownBy(() -> DispatcherHarness.awaitMails(harness, () -> false))
          .isInstanceOf(RemoteFunctionException.class)
          .hasMessageContaining("Remote function remote/counter (id 'a')")
          .hasMessageContaining(server.urlPathTemplate().replace("{function.name}", "counter"))
          .hasMessageContaining("SSLHandshakeException");
    }
  }

  @Test
  void http2AskedOfAServerThatDoesNotOfferItFailsTheCallSayingSo() throws Exception {
    // the JDK's HttpsServer speaks HTTP/1.1 only and answers no ALPN offer
    HttpEndpointSpec endpoint =
        endpoint(trustingWithClientCertificate(), HttpEndpointSpec.Protocol.H2);
    try (var harness = DispatcherHarness.open(endpoint, null)) {
      harness.processElement(DispatcherHarness.message(COUNTER, "a", "x"));
      assertThatThrownBy(() -> DispatcherHarness.awaitMails(harness, () -> false))
          .isInstanceOf(RemoteFunctionException.class)
          .hasMessageContaining("Remote function remote/counter (id 'a')")
          .hasMessageContaining(
              "did not offer HTTP/2 in the TLS handshake (ALPN), and the endpoint's protocol is h2");
    }
  }

  @Test
  void aCertificateFileThatIsNotThereFailsTheCallNamingTheSetting() throws Exception {
    String missing = files.resolve("nowhere.pem").toString();
    HttpEndpointSpec.Tls tls = new HttpEndpointSpec.Tls(missing, null, null, null);
    try (var harness = DispatcherHarness.open(endpoint(tls), null)) {
      harness.processElement(DispatcherHarness.message(COUNTER, "a", "x"));
      assertThatThrownBy(() -> DispatcherHarness.awaitMails(harness, () -> false))
          .isInstanceOf(RemoteFunctionException.class)
          .hasMessageContaining("trust_cacerts '" + missing + "' does not exist");
    }
  }

  private HttpEndpointSpec endpoint(HttpEndpointSpec.Tls tls) {
    return endpoint(tls, HttpEndpointSpec.Protocol.AUTO);
  }

  private HttpEndpointSpec endpoint(HttpEndpointSpec.Tls tls, HttpEndpointSpec.Protocol protocol) {
    HttpEndpointSpec.Pool pool = HttpEndpointSpec.Pool.DEFAULT;
    return new HttpEndpointSpec(
        "remote/*",
        server.urlPathTemplate(),
        10,
        HttpEndpointSpec.Timeouts.DEFAULT,
        HttpEndpointSpec.ASYNC_TRANSPORT,
        Map.of(),
        new HttpEndpointSpec.Pool(
            pool.maxConnections(), pool.idleTimeToLive(), pool.maxPayloadBytes(), protocol),
        tls);
  }

  /** Trusts the test CA, shows the client certificate. */
  private HttpEndpointSpec.Tls trustingWithClientCertificate() throws Exception {
    return new HttpEndpointSpec.Tls(
        write("ca.pem", certificates.authority.getCertificatePEM()),
        write("client.pem", certificates.client.getCertificatePathPEM()),
        write("client.key", certificates.client.getPrivateKeyPEM()),
        null);
  }

  private String write(String name, String pem) throws Exception {
    return Files.writeString(files.resolve(name), pem).toString();
  }
}
