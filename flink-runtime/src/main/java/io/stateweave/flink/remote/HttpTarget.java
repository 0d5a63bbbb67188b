package io.stateweave.flink.remote;

import io.stateweave.flink.module.HttpEndpointSpec;
import io.stateweave.sdk.TypeName;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Where one function type is called and with which limits: the URL its endpoint's template gives
 * for it, the connection's origin (shared by every function type of that host and port), and the
 * endpoint's timeouts, connection pool and certificates. Read and write timeouts are zero when the endpoint's
 * transport has none.
 */
record HttpTarget(
    URI uri,
    Origin origin,
    String hostHeader,
    String pathAndQuery,
    Duration callTimeout,
    Duration connectTimeout,
    Duration readTimeout,
    Duration writeTimeout,
    HttpEndpointSpec.Pool pool,
    HttpEndpointSpec.Tls tls) {

  /** A connection's far end: calls to one origin share its pool of connections. */
  record Origin(boolean tls, String host, int port) {}

  HttpTarget {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(callTimeout, "callTimeout");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(readTimeout, "readTimeout");
    Objects.requireNonNull(writeTimeout, "writeTimeout");
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(tls, "tls");
  }

  static HttpTarget of(HttpEndpointSpec endpoint, TypeName functionType) {
    URI uri = RemoteSpec.uri(endpoint, functionType);
    boolean tls = uri.getScheme().toLowerCase(Locale.ROOT).equals("https");
    int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80;
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      path += "?" + uri.getRawQuery();
    }
    boolean defaultPort = uri.getPort() < 0;
    HttpEndpointSpec.Timeouts timeouts = endpoint.timeouts();
    boolean okHttp = endpoint.transportType().equals(HttpEndpointSpec.OKHTTP_TRANSPORT);
    return new HttpTarget(
        uri,
        new Origin(tls, uri.getHost(), port),
        defaultPort ? uri.getHost() : uri.getHost() + ":" + port,
        path,
        timeouts.call(),
        timeouts.connect(),
        okHttp ? timeouts.read() : Duration.ZERO,
        okHttp ? timeouts.write() : Duration.ZERO,
        endpoint.pool(),
        endpoint.tls());
  }
}
