package io.stateweave.flink.remote;

import io.stateweave.flink.module.HttpEndpointSpec;
import io.stateweave.flink.module.LegacyFunctionSpec;
import io.stateweave.sdk.TypeName;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The remote functions of a job: which function types the module's HTTP endpoints serve and how
 * they are called. A type is served by the endpoint naming it exactly, else by the one naming its
 * namespace ({@code ns/*}).
 *
 * @param endpoints the module's endpoints
 * @param retry retries and the give-up policy
 * @param capacity calls in flight per subtask of the HTTP client; more backpressure the dispatcher
 * @param deadLetterEgress the egress of batches given up on; null unless the policy is {@link
 *     RetryPolicy.OnFailure#DEAD_LETTER}
 * @param legacyFunctions the function types, among those of {@code endpoints}, that speak StateFun's
 *     2.x protocol
 */
public record RemoteSpec(
    List<HttpEndpointSpec> endpoints,
    RetryPolicy retry,
    int capacity,
    TypeName deadLetterEgress,
    List<LegacyFunctionSpec> legacyFunctions)
    implements Serializable {

  private static final String FUNCTION_NAME = "{function.name}";
  private static final String WILDCARD = "/*";
  private static final List<String> SCHEMES = List.of("http", "https");
  private static final List<TypeName> TRANSPORTS =
      List.of(HttpEndpointSpec.OKHTTP_TRANSPORT, HttpEndpointSpec.ASYNC_TRANSPORT);

  /** A job without remote functions. */
  public static RemoteSpec none() {
    return new RemoteSpec(
        List.of(),
        new RetryPolicy(0, Duration.ZERO, Duration.ZERO, RetryPolicy.OnFailure.FAIL),
        1,
        null);
  }

  /** Remote functions that all speak StateFun's 3.x protocol. */
  public RemoteSpec(
      List<HttpEndpointSpec> endpoints, RetryPolicy retry, int capacity, TypeName deadLetterEgress) {
    this(endpoints, retry, capacity, deadLetterEgress, List.of());
  }

  /** Checks what this client supports; errors name the endpoint by its {@code functions}. */
  public RemoteSpec {
    endpoints = List.copyOf(endpoints);
    legacyFunctions = List.copyOf(legacyFunctions);
    Objects.requireNonNull(retry, "retry");
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    if (retry.onFailure() == RetryPolicy.OnFailure.DEAD_LETTER && deadLetterEgress == null) {
      throw new IllegalArgumentException("The dead-letter policy needs a dead-letter egress");
    }
    Map<String, HttpEndpointSpec> byPattern = new HashMap<>();
    for (HttpEndpointSpec endpoint : endpoints) {
      HttpEndpointSpec previous = byPattern.put(endpoint.functions(), endpoint);
      if (previous != null) {
        throw new IllegalArgumentException(
            "Two HTTP endpoints serve functions '"
                + endpoint.functions()
                + "': "
                + previous.urlPathTemplate()
                + " and "
                + endpoint.urlPathTemplate());
      }
      String scheme =
          URI.create(endpoint.urlPathTemplate().replace(FUNCTION_NAME, "name")).getScheme();
      if (!SCHEMES.contains(scheme.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "HTTP endpoint of functions '"
                + endpoint.functions()
                + "': URL scheme '"
                + scheme
                + "' (of "
                + endpoint.urlPathTemplate()
                + ") is not supported; use one of "
                + SCHEMES);
      }
      if (!TRANSPORTS.contains(endpoint.transportType())) {
        throw new IllegalArgumentException(
            "HTTP endpoint of functions '"
                + endpoint.functions()
                + "': transport "
                + endpoint.transportType()
                + " is not supported; Stateweave calls functions with the JDK's HTTP client and"
                + " reads the timeouts of "
                + TRANSPORTS);
      }
    }
  }

  /** The function types endpoints name exactly, not by a namespace wildcard. */
  public List<TypeName> namedFunctionTypes() {
    List<TypeName> named = new ArrayList<>();
    for (HttpEndpointSpec endpoint : endpoints) {
      if (!endpoint.functions().endsWith(WILDCARD)) {
        named.add(TypeName.parse(endpoint.functions()));
      }
    }
    return named;
  }

  /** Whether an endpoint serves this function type. */
  public boolean isRemote(TypeName functionType) {
    return endpointFor(functionType).isPresent();
  }

  /** The endpoint serving the type: the one naming it exactly, else the one of its namespace. */
  public Optional<HttpEndpointSpec> endpointFor(TypeName functionType) {
    HttpEndpointSpec wildcard = null;
    for (HttpEndpointSpec endpoint : endpoints) {
      if (endpoint.functions().equals(functionType.canonical())) {
        return Optional.of(endpoint);
      }
      if (endpoint.functions().equals(functionType.namespace() + WILDCARD)) {
        wildcard = endpoint;
      }
    }
    return Optional.ofNullable(wildcard);
  }

  /** The StateFun 2.x function of this type, if it is one. */
  public Optional<LegacyFunctionSpec> legacyFunction(TypeName functionType) {
    return legacyFunctions.stream()
        .filter(legacy -> legacy.functionType().equals(functionType))
        .findFirst();
  }

  /** The URL a function type is called at. */
  public static URI uri(HttpEndpointSpec endpoint, TypeName functionType) {
    return URI.create(endpoint.urlPathTemplate().replace(FUNCTION_NAME, functionType.name()));
  }
}
