package io.stateweave.flink.module;

import io.stateweave.flink.module.HttpEndpointSpec.Timeouts;
import io.stateweave.sdk.TypeName;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A remote function as StateFun 2.x declared it ({@code module.spec.functions[].function}, module
 * format 1.0 or 2.0): called with the 2.x request-reply protocol, whose messages and state are
 * {@code google.protobuf.Any}, and whose states are all declared here, since a 2.x function cannot
 * report the states it needs.
 *
 * @param functionType the one function type served
 * @param endpoint the URL every call of the type goes to
 * @param states the states sent with every call, in the order declared
 * @param maxNumBatchRequests messages buffered per address while a call is in flight
 * @param timeouts the call timeout ({@code timeout}) and, from 2.2 on, its parts
 */
public record LegacyFunctionSpec(
    TypeName functionType,
    String endpoint,
    List<State> states,
    int maxNumBatchRequests,
    Timeouts timeouts)
    implements Serializable {

  public LegacyFunctionSpec {
    Objects.requireNonNull(functionType, "functionType");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(timeouts, "timeouts");
    states = List.copyOf(states);
    if (maxNumBatchRequests <= 0) {
      throw new IllegalArgumentException(
          "maxNumBatchRequests must be positive, got " + maxNumBatchRequests);
    }
  }

  /**
   * The endpoint the calls of this function go through: its one type at its one URL, so that
   * routing, connections and retries are those of every other remote function.
   */
  public HttpEndpointSpec httpEndpoint() {
    return new HttpEndpointSpec(
        functionType.canonical(),
        endpoint,
        maxNumBatchRequests,
        timeouts,
        HttpEndpointSpec.OKHTTP_TRANSPORT,
        Map.of());
  }

  /**
   * A declared state; {@code expireAfter} zero means it never expires. StateFun 2.2 let a state
   * expire after it was last read or written, and every call reads them all, so it expires that
   * long after the address's last invocation.
   */
  public record State(String name, Duration expireAfter) implements Serializable {
    public State {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(expireAfter, "expireAfter");
      if (name.isEmpty() || expireAfter.isNegative()) {
        throw new IllegalArgumentException(
            "a state needs a name and an expiration of zero or more, got '"
                + name
                + "' and "
                + expireAfter);
      }
    }
  }
}
