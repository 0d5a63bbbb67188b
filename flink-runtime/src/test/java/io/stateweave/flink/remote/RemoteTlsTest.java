package io.stateweave.flink.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
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

  static X509Bundle authority;
  static X509Bundle serverCertificate;
  static X509Bundle clientCertificate;

  @TempDir Path files;
  private SdkServer server;

  @BeforeAll
  static void certificates() throws Exception {
    authority =
        new CertificateBuilder()
            .subject("CN=stateweave test CA")
            .setIsCertificateAuthority(true)
            .ecp256()
            .buildSelfSigned();
    serverCertificate =
        new CertificateBuilder()
            .subject("CN=function server")
            .addSanIpAddress("127.0.0.1")
            .addExtendedKeyUsageServerAuth()
            .ecp256()
            .buildIssuedBy(authority);
    clientCertificate =
        new CertificateBuilder()
            .subject("CN=stateweave")
            .addExtendedKeyUsageClientAuth()
            .ecp256()
            .buildIssuedBy(authority);
  }

  @BeforeEach
  void start() throws Exception {
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(
        serverCertificate.toKeyManagerFactory().getKeyManagers(),
        authority.toTrustManagerFactory().getTrustManagers(),
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
    HttpEndpointSpec.Tls tls =
        new HttpEndpointSpec.Tls(
            write("ca.pem", authority.getCertificatePEM()),
            write("client.pem", clientCertificate.getCertificatePathPEM()),
            write("client.key", clientCertificate.getPrivateKeyPEM()),
            null);
    try (var harness = DispatcherHarness.open(endpoint(tls), null)) {
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
    return new HttpEndpointSpec(
        "remote/*",
        server.urlPathTemplate(),
        10,
        HttpEndpointSpec.Timeouts.DEFAULT,
        HttpEndpointSpec.ASYNC_TRANSPORT,
        Map.of(),
        HttpEndpointSpec.Pool.DEFAULT,
        tls);
  }

  private String write(String name, String pem) throws Exception {
    return Files.writeString(files.resolve(name), pem).toString();
  }
}
