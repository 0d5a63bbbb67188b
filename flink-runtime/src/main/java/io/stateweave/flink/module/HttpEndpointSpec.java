package io.stateweave.flink.module;

import io.stateweave.sdk.TypeName;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code io.statefun.endpoints.v2/http} and {@code v1}: remote functions served over HTTP, in
 * StateFun's format so that upstream module files load unchanged.
 *
 * @param functions the function type served, {@code ns/name}, or a whole namespace, {@code ns/*}
 * @param urlPathTemplate the URL to call; {@code {function.name}} is replaced by the type's name
 * @param maxNumBatchRequests messages buffered per address while a call is in flight, before
 *     backpressure
 * @param timeouts the timeouts given for the transport, defaults for those not given; {@code read}
 *     and {@code write} only apply to the OkHttp transport
 * @param transportType the client to use: {@link #OKHTTP_TRANSPORT} when not given (always for v1),
 *     {@link #ASYNC_TRANSPORT}, or a custom one
 * @param transportProperties everything under {@code spec.transport} but {@code type} as plain
 *     maps, lists and scalars (for v1: {@code timeouts}), for transports that read more than
 *     timeouts
 * @param pool the connections to the endpoint's host: the async transport's {@code pool_size},
 *     {@code pool_ttl} and {@code payload_max_bytes}, StateFun's defaults for other transports
 * @param tls the async transport's certificates for {@code https}: whom to trust, and what to show
 */
public record HttpEndpointSpec(
    String functions,
    String urlPathTemplate,
    int maxNumBatchRequests,
    Timeouts timeouts,
    TypeName transportType,
    Map<String, Object> transportProperties,
    Pool pool,
    Tls tls)
    implements Serializable {

  public static final TypeName KIND_V1 = TypeName.parse("io.statefun.endpoints.v1/http");
  public static final TypeName KIND_V2 = TypeName.parse("io.statefun.endpoints.v2/http");
  public static final TypeName OKHTTP_TRANSPORT =
      TypeName.parse("io.statefun.transports.v1/okhttp");
  public static final TypeName ASYNC_TRANSPORT = TypeName.parse("io.statefun.transports.v1/async");
  public static final int DEFAULT_MAX_NUM_BATCH_REQUESTS = 1000;

  public HttpEndpointSpec {
    // an unmodifiable LinkedHashMap keeps the file's order and, unlike Map.copyOf, null values
    transportProperties = Collections.unmodifiableMap(new LinkedHashMap<>(transportProperties));
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(tls, "tls");
  }

  /** An endpoint with StateFun's default connection pool. */
  public HttpEndpointSpec(
      String functions,
      String urlPathTemplate,
      int maxNumBatchRequests,
      Timeouts timeouts,
      TypeName transportType,
      Map<String, Object> transportProperties) {
    this(
        functions,
        urlPathTemplate,
        maxNumBatchRequests,
        timeouts,
        transportType,
        transportProperties,
        Pool.DEFAULT,
        Tls.DEFAULT);
  }

  /**
   * Certificates of an {@code https} endpoint, each a PEM file path or a {@code classpath:}
   * resource, read where the calls are made: the CAs to trust ({@code trustCaCerts}; null: the
   * JVM's default trust store), and the client's certificate chain and PKCS#8 key, with the key's
   * password if it is encrypted, for servers that ask for one (null: none).
   */
  public record Tls(
      String trustCaCerts, String clientCert, String clientKey, String clientKeyPassword)
      implements Serializable {
    public static final Tls DEFAULT = new Tls(null, null, null, null);

    public Tls {
      if ((clientCert == null) != (clientKey == null)) {
        throw new IllegalArgumentException("client_cert and client_key go together");
      }
      if (clientKeyPassword != null && clientKey == null) {
        throw new IllegalArgumentException("client_key_password needs a client_key");
      }
    }
  }

  /**
   * The connections to an endpoint's host: at most {@code maxConnections} open (one call each at a
   * time) when they speak HTTP/1.1, one carrying every call when they speak HTTP/2; an idle one
   * closed after {@code idleTimeToLive} (0: at once), answers of at most {@code maxPayloadBytes}.
   */
  public record Pool(
      int maxConnections, Duration idleTimeToLive, int maxPayloadBytes, Protocol protocol)
      implements Serializable {
    /**
     * StateFun's defaults for its async transport, but 64 connections per subtask and host rather
     * than 1,024, with which servers closed connections under load and calls failed
     * (docs/benchmarks.md, eighth session).
     */
    public static final Pool DEFAULT =
        new Pool(64, Duration.ofSeconds(15), 32 * 1024 * 1024, Protocol.AUTO);

    public Pool {
      if (maxConnections <= 0 || maxPayloadBytes <= 0) {
        throw new IllegalArgumentException(
            "maxConnections and maxPayloadBytes must be positive, got "
                + maxConnections
                + " and "
                + maxPayloadBytes);
      }
      Objects.requireNonNull(idleTimeToLive, "idleTimeToLive");
      if (idleTimeToLive.isNegative()) {
        throw new IllegalArgumentException("idleTimeToLive must not be negative");
      }
      Objects.requireNonNull(protocol, "protocol");
    }
  }

  /** The HTTP version the connections to an endpoint speak: the transport's {@code protocol}. */
  public enum Protocol {
    /**
     * {@code https}: HTTP/2 if the server offers it in the TLS handshake (ALPN), else HTTP/1.1, as
     * StateFun's default (OkHttp) transport did; {@code http}: HTTP/1.1.
     */
    AUTO("auto"),
    /** HTTP/1.1 only. */
    HTTP_1_1("http/1.1"),
    /** HTTP/2 over TLS ({@code https}); a server that does not offer it fails the calls. */
    H2("h2"),
    /**
     * HTTP/2 over cleartext ({@code http}) with prior knowledge: the server must speak it. There is
     * no HTTP/1.1 {@code Upgrade} to h2c: RFC 9113 deprecated it, and servers such as Node's
     * {@code http2} module speak cleartext HTTP/2 only with prior knowledge.
     */
    H2C("h2c");

    private final String setting;

    Protocol(String setting) {
      this.setting = setting;
    }

    /** How module.yaml spells it. */
    public String setting() {
      return setting;
    }
  }

  /** Timeouts of one call to the endpoint; every one is positive and none exceeds {@code call}. */
  public record Timeouts(Duration call, Duration connect, Duration read, Duration write)
      implements Serializable {
    /** StateFun's defaults. */
    public static final Timeouts DEFAULT =
        new Timeouts(
            Duration.ofMinutes(1),
            Duration.ofSeconds(10),
            Duration.ofSeconds(10),
            Duration.ofSeconds(10));
  }
}
