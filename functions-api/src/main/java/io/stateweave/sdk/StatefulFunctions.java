package io.stateweave.sdk;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The functions of a module, each bound to its function type:
 *
 * <pre>{@code
 * StatefulFunctions functions = new StatefulFunctions();
 * functions.bind("example/hello", (context, message) -> ...);
 * functions.register(new Greeter());   // a class annotated @FunctionType("example/greeter")
 * }</pre>
 */
public final class StatefulFunctions {
  private final Map<TypeName, FunctionBinding> bindings = new LinkedHashMap<>();

  /**
   * Binds {@code function} to {@code functionType} ({@code namespace/name}). The value specs are
   * optional: state used without being declared is registered on first use; declared specs with
   * {@link Expiration.Mode#AFTER_INVOKE} are refreshed on every invocation.
   */
  public StatefulFunctions bind(
      String functionType, StatefulFunction function, ValueSpec<?>... specs) {
    TypeName type;
    try {
      type = TypeName.parse(functionType);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid function type: " + e.getMessage(), e);
    }
    return add(new FunctionBinding(type, function, List.of(specs)));
  }

  /** Binds a function class annotated with {@link FunctionType}. */
  public StatefulFunctions register(StatefulFunction function, ValueSpec<?>... specs) {
    Objects.requireNonNull(function, "function");
    FunctionType annotation = function.getClass().getAnnotation(FunctionType.class);
    if (annotation == null) {
      throw new IllegalArgumentException(
          function.getClass().getName()
              + " has no @FunctionType annotation: use bind(\"namespace/name\", function) instead");
    }
    return bind(annotation.value(), function, specs);
  }

  /** Adds every binding of {@code other}. */
  public StatefulFunctions registerAll(StatefulFunctions other) {
    other.bindings.values().forEach(this::add);
    return this;
  }

  private StatefulFunctions add(FunctionBinding binding) {
    FunctionBinding previous = bindings.putIfAbsent(binding.type(), binding);
    if (previous != null) {
      throw new IllegalArgumentException("Function type " + binding.type() + " is bound twice");
    }
    return this;
  }

  public Map<TypeName, FunctionBinding> bindings() {
    return Collections.unmodifiableMap(bindings);
  }
}
