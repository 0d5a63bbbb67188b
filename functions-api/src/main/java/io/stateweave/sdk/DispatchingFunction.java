package io.stateweave.sdk;

import io.stateweave.sdk.types.Type;
import io.stateweave.sdk.types.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A function with one handler per message type, the Java form of the SDKs' type hints; several
 * types make the union case. A message of any other type fails with {@link
 * UnexpectedMessageException}.
 *
 * <pre>{@code
 * DispatchingFunction.builder()
 *     .on(User.class, (context, user) -> ...)
 *     .on(Admin.class, (context, admin) -> ...)
 *     .build();
 * }</pre>
 */
public final class DispatchingFunction implements StatefulFunction {

  /** Handles one message type. */
  @FunctionalInterface
  public interface Handler<T> {
    void handle(Context context, T message) throws Exception;
  }

  private final Map<TypeName, Route<?>> routes;

  private DispatchingFunction(Map<TypeName, Route<?>> routes) {
    // keeps the order handlers were added in, which error messages and acceptedTypes() show
    this.routes = Collections.unmodifiableMap(new LinkedHashMap<>(routes));
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void invoke(Context context, Message message) throws Exception {
    Route<?> route = routes.get(message.valueTypeName());
    if (route == null) {
      throw new UnexpectedMessageException(
          context.self(), message.valueTypeName(), acceptedTypes());
    }
    route.handle(context, message);
  }

  /** The message types this function handles, in the order their handlers were added. */
  public List<TypeName> acceptedTypes() {
    return new ArrayList<>(routes.keySet());
  }

  private static final class Route<T> {
    private final Type<T> type;
    private final Handler<? super T> handler;

    Route(Type<T> type, Handler<? super T> handler) {
      this.type = type;
      this.handler = handler;
    }

    void handle(Context context, Message message) throws Exception {
      handler.handle(context, type.deserialize(message.typedValue().bytes()));
    }
  }

  public static final class Builder {
    private final Map<TypeName, Route<?>> routes = new LinkedHashMap<>();

    private Builder() {}

    /** Handles messages of a protobuf class, a primitive wrapper or {@code String}. */
    public <T> Builder on(Class<T> messageClass, Handler<? super T> handler) {
      return on(Types.forClass(messageClass), handler);
    }

    public <T> Builder on(Type<T> type, Handler<? super T> handler) {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(handler, "handler");
      if (routes.putIfAbsent(type.typeName(), new Route<>(type, handler)) != null) {
        throw new IllegalArgumentException("Two handlers for message type " + type.typeName());
      }
      return this;
    }

    public DispatchingFunction build() {
      if (routes.isEmpty()) {
        throw new IllegalStateException("A dispatching function needs at least one handler");
      }
      return new DispatchingFunction(routes);
    }
  }
}
