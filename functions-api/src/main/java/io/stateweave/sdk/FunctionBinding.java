package io.stateweave.sdk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A function bound to its type, with the state it declares: each state once, a second spec of a
 * name with another type or expiration being an error ({@link ValueSpec#requireSameState}).
 */
public final class FunctionBinding {
  private final TypeName type;
  private final StatefulFunction function;
  private final List<ValueSpec<?>> valueSpecs;

  public FunctionBinding(TypeName type, StatefulFunction function, List<ValueSpec<?>> valueSpecs) {
    this.type = Objects.requireNonNull(type, "type");
    this.function = Objects.requireNonNull(function, () -> "function for " + type);
    Map<String, ValueSpec<?>> byName = new LinkedHashMap<>();
    for (ValueSpec<?> spec : valueSpecs) {
      Objects.requireNonNull(spec, () -> "a value spec of " + type);
      ValueSpec<?> first = byName.putIfAbsent(spec.name(), spec);
      if (first != null) {
        first.requireSameState(type, spec);
      }
    }
    this.valueSpecs = List.copyOf(byName.values());
  }

  public TypeName type() {
    return type;
  }

  public StatefulFunction function() {
    return function;
  }

  public List<ValueSpec<?>> valueSpecs() {
    return valueSpecs;
  }
}
