package io.stateweave.sdk.entity;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.types.Type;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An entity type ("operator" in Styx): a name, the type of its entities' state, and its named
 * functions. Immutable.
 */
public final class EntityType<S> {
  private final TypeName name;
  private final Type<S> stateType;
  private final Map<String, EntityFunction<S>> functions;

  private EntityType(TypeName name, Type<S> stateType, Map<String, EntityFunction<S>> functions) {
    this.name = name;
    this.stateType = stateType;
    this.functions = Collections.unmodifiableMap(new LinkedHashMap<>(functions));
  }

  public static <S> Builder<S> builder(TypeName name, Type<S> stateType) {
    return new Builder<>(Objects.requireNonNull(name, "name"), Objects.requireNonNull(stateType));
  }

  public TypeName name() {
    return name;
  }

  public Type<S> stateType() {
    return stateType;
  }

  public Map<String, EntityFunction<S>> functions() {
    return functions;
  }

  /** Builds an {@link EntityType}; a function name given twice is refused. */
  public static final class Builder<S> {
    private final TypeName name;
    private final Type<S> stateType;
    private final Map<String, EntityFunction<S>> functions = new LinkedHashMap<>();

    private Builder(TypeName name, Type<S> stateType) {
      this.name = name;
      this.stateType = stateType;
    }

    public Builder<S> function(String functionName, EntityFunction<S> function) {
      Objects.requireNonNull(function, "function");
      if (functions.putIfAbsent(Objects.requireNonNull(functionName), function) != null) {
        throw new IllegalArgumentException(
            "Entity type " + name + " has two functions named '" + functionName + "'");
      }
      return this;
    }

    public EntityType<S> build() {
      return new EntityType<>(name, stateType, functions);
    }
  }
}
