package io.stateweave.sdk;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** A function bound to its type, with the state it declares. */
public final class FunctionBinding {
  private final TypeName type;
  private final StatefulFunction function;
  private final List<ValueSpec<?>> valueSpecs;

  public FunctionBinding(TypeName type, StatefulFunction function, List<ValueSpec<?>> valueSpecs) {
    this.type = Objects.requireNonNull(type, "type");
    this.function = Objects.requireNonNull(function, () -> "function for " + type);
    this.valueSpecs = List.copyOf(valueSpecs);
    Set<String> names = new HashSet<>();
    for (ValueSpec<?> spec : this.valueSpecs) {
      if (!names.add(spec.name())) {
        throw new IllegalArgumentException(
            "Function type " + type + " declares state '" + spec.name() + "' twice");
      }
    }
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
