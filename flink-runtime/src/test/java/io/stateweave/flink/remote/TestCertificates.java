package io.stateweave.flink.remote;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;

/** A test CA and certificates it issued, for function servers on 127.0.0.1 and their clients. */
final class TestCertificates {
  final X509Bundle authority;
  final X509Bundle server;
  final X509Bundle client;

  TestCertificates() throws Exception {
    authority =
        new CertificateBuilder()
            .subject("CN=stateweave test CA")
            .setIsCertificateAuthority(true)
            .ecp256()
            .buildSelfSigned();
    server =
        new CertificateBuilder()
            .subject("CN=function server")
            .addSanIpAddress("127.0.0.1")
            .addExtendedKeyUsageServerAuth()
            .ecp256()
            .buildIssuedBy(authority);
    client =
        new CertificateBuilder()
            .subject("CN=stateweave")
            .addExtendedKeyUsageClientAuth()
            .ecp256()
            .buildIssuedBy(authority);
  }
}
