package io.stateweave.flink.module;

import io.stateweave.flink.module.HttpEndpointSpec.Protocol;
import io.stateweave.flink.module.HttpEndpointSpec.Timeouts;
import io.stateweave.sdk.TypeName;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads StateFun's HTTP endpoint kinds. v1 has the OkHttp timeouts in the spec; v2 moved them into
 * {@code transport}, whose {@code type} selects the client and whose other keys configure it.
 */
final class HttpEndpointParser {
  private HttpEndpointParser() {}

  private static final String FUNCTION_NAME = "{function.name}";
  private static final List<String> SCHEMES = List.of("http", "https", "http+unix", "https+unix");
  private static final List<String> TIMEOUT_KEYS = List.of("call", "connect", "read", "write");
  private static final List<String> OKHTTP_KEYS = List.of("type", "timeouts", "protocol");
  private static final List<String> ASYNC_KEYS =
      List.of(
          "type",
          "call",
          "connect",
          "pool_ttl",
          "pool_size",
          "payload_max_bytes",
          "trust_cacerts",
          "client_cert",
          "client_key",
          "client_key_password",
          "protocol");

  static HttpEndpointSpec v1(Field spec) {
    spec.mapping(
        "a mapping", List.of("functions", "urlPathTemplate", "maxNumBatchRequests", "timeouts"));
    Field timeouts = spec.get("timeouts");
    return new HttpEndpointSpec(
        functions(spec.get("functions")),
        urlPathTemplate(spec.get("urlPathTemplate")),
        spec.get("maxNumBatchRequests")
            .positiveInt(HttpEndpointSpec.DEFAULT_MAX_NUM_BATCH_REQUESTS),
        okHttpTimeouts(timeouts),
        HttpEndpointSpec.OKHTTP_TRANSPORT,
        timeouts.isPresent() ? Map.of("timeouts", timeouts.plainMap()) : Map.of());
  }

  static HttpEndpointSpec v2(Field spec) {
    spec.mapping(
        "a mapping", List.of("functions", "urlPathTemplate", "maxNumBatchRequests", "transport"));
    String functions = functions(spec.get("functions"));
    String urlPathTemplate = urlPathTemplate(spec.get("urlPathTemplate"));
    int maxNumBatchRequests =
        spec.get("maxNumBatchRequests")
            .positiveInt(HttpEndpointSpec.DEFAULT_MAX_NUM_BATCH_REQUESTS);

    Field transport = spec.get("transport");
    if (!transport.isPresent()) {
      return new HttpEndpointSpec(
          functions,
          urlPathTemplate,
          maxNumBatchRequests,
          Timeouts.DEFAULT,
          HttpEndpointSpec.OKHTTP_TRANSPORT,
          Map.of());
    }
    transport.mapping("a mapping with the transport's 'type' and properties");
    TypeName type =
        transport
            .get("type")
            .optionalTypeName("a transport type", HttpEndpointSpec.OKHTTP_TRANSPORT);
    Timeouts timeouts;
    HttpEndpointSpec.Pool pool = HttpEndpointSpec.Pool.DEFAULT;
    HttpEndpointSpec.Tls tls = HttpEndpointSpec.Tls.DEFAULT;
    if (type.equals(HttpEndpointSpec.OKHTTP_TRANSPORT)) {
      transport.mapping("a mapping", OKHTTP_KEYS);
      timeouts = okHttpTimeouts(transport.get("timeouts"));
      Protocol protocol = protocol(transport.get("protocol"), urlPathTemplate);
      pool = new HttpEndpointSpec.Pool(
          pool.maxConnections(), pool.idleTimeToLive(), pool.maxPayloadBytes(), protocol);
    } else if (type.equals(HttpEndpointSpec.ASYNC_TRANSPORT)) {
      timeouts = asyncTransport(transport);
      pool =
          new HttpEndpointSpec.Pool(
              transport.get("pool_size").positiveInt(pool.maxConnections()),
              transport.get("pool_ttl").duration(pool.idleTimeToLive(), true),
              transport.get("payload_max_bytes").positiveInt(pool.maxPayloadBytes()),
              protocol(transport.get("protocol"), urlPathTemplate));
      tls = tls(transport);
    } else {
      // a transport of the user's own: only it knows its properties
      timeouts = Timeouts.DEFAULT;
    }
    Map<String, Object> properties = new LinkedHashMap<>(transport.plainMap());
    properties.remove("type");
    return new HttpEndpointSpec(
        functions, urlPathTemplate, maxNumBatchRequests, timeouts, type, properties, pool, tls);
  }

  /** {@code ns/name} or {@code ns/*}: a wildcard only as the whole name, as upstream. */
  private static String functions(Field field) {
    String what = "a function type <namespace>/<name> or a namespace <namespace>/*";
    TypeName pattern = field.typeName(what);
    boolean wildcardNamespace = pattern.namespace().contains("*");
    boolean partialWildcardName = pattern.name().contains("*") && !pattern.name().equals("*");
    if (wildcardNamespace || partialWildcardName) {
      throw field.expected(what);
    }
    return pattern.canonical();
  }

  private static String urlPathTemplate(Field field) {
    String what = "an absolute URL with scheme " + SCHEMES + ", optionally with " + FUNCTION_NAME;
    String template = field.text(what);
    try {
      URI uri = new URI(template.replace(FUNCTION_NAME, "name"));
      if (uri.getScheme() == null || !SCHEMES.contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
        throw field.expected(what);
      }
    } catch (URISyntaxException e) {
      throw field.expected(what);
    }
    return template;
  }

  private static Timeouts okHttpTimeouts(Field timeouts) {
    if (!timeouts.isPresent()) {
      return Timeouts.DEFAULT;
    }
    timeouts.mapping("a mapping", TIMEOUT_KEYS);
    Duration call = timeouts.get("call").duration(Timeouts.DEFAULT.call());
    return new Timeouts(
        call,
        withinCall(timeouts.get("connect"), Timeouts.DEFAULT.connect(), call),
        withinCall(timeouts.get("read"), Timeouts.DEFAULT.read(), call),
        withinCall(timeouts.get("write"), Timeouts.DEFAULT.write(), call));
  }

  /** The HTTP version to speak; HTTP/2 is {@code h2} over TLS and {@code h2c} over cleartext. */
  private static Protocol protocol(Field field, String urlPathTemplate) {
    if (!field.isPresent()) {
      return Protocol.AUTO;
    }
    boolean tls = urlPathTemplate.toLowerCase(Locale.ROOT).startsWith("https");
    List<String> allowed =
        Arrays.stream(Protocol.values())
            .filter(protocol -> protocol != (tls ? Protocol.H2C : Protocol.H2))
            .map(Protocol::setting)
            .toList();
    String what = "one of " + allowed + " for an " + (tls ? "https" : "http") + " URL";
    String setting = field.text(what);
    return Arrays.stream(Protocol.values())
        .filter(protocol -> protocol.setting().equals(setting) && allowed.contains(setting))
        .findFirst()
        .orElseThrow(() -> field.expected(what));
  }

  private static HttpEndpointSpec.Tls tls(Field transport) {
    String what = "a PEM file path or classpath: resource";
    Field clientCert = transport.get("client_cert");
    Field clientKey = transport.get("client_key");
    Field password = transport.get("client_key_password");
    if (clientCert.isPresent() != clientKey.isPresent()) {
      throw (clientCert.isPresent() ? clientKey : clientCert)
          .expected(what + ", given with " + (clientCert.isPresent() ? "client_cert" : "client_key"));
    }
    if (password.isPresent() && !clientKey.isPresent()) {
      throw clientKey.expected(what + ", given with client_key_password");
    }
    return new HttpEndpointSpec.Tls(
        transport.get("trust_cacerts").optionalText(what),
        clientCert.optionalText(what),
        clientKey.optionalText(what),
        password.optionalText("the client key's password"));
  }

  /** The async client has no read or write timeouts; its own settings are checked here too. */
  private static Timeouts asyncTransport(Field transport) {
    transport.mapping("a mapping", ASYNC_KEYS);
    Duration call = transport.get("call").duration(Timeouts.DEFAULT.call());
    Duration connect = withinCall(transport.get("connect"), Timeouts.DEFAULT.connect(), call);
    return new Timeouts(call, connect, Timeouts.DEFAULT.read(), Timeouts.DEFAULT.write());
  }

  /**
   * A part of a call cannot take longer than the whole call. Upstream also rejects a short call
   * timeout against the longer defaults of the others; here those defaults shrink to the call's.
   */
  private static Duration withinCall(Field field, Duration defaultValue, Duration call) {
    Duration duration = field.duration(defaultValue.compareTo(call) > 0 ? call : defaultValue);
    if (duration.compareTo(call) > 0) {
      throw field.expected(
          "at most the call timeout of " + call.toString().substring(2).toLowerCase(Locale.ROOT));
    }
    return duration;
  }
}
