package io.stateweave.sdk.entity;

import io.stateweave.sdk.TypeName;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The entity types of a job or a test, by name. A job gets them from a {@link Provider}, which
 * travels to the TaskManagers and builds them there, since functions are code, not data.
 */
public final class Entities {
  private final Map<TypeName, EntityType<?>> types;

  private Entities(Map<TypeName, EntityType<?>> types) {
    this.types = Collections.unmodifiableMap(types);
  }

  /** Refuses two entity types of one name. */
  public static Entities of(EntityType<?>... types) {
    Map<TypeName, EntityType<?>> byName = new LinkedHashMap<>();
    for (EntityType<?> type : types) {
      if (byName.putIfAbsent(type.name(), type) != null) {
        throw new IllegalArgumentException("Entity type " + type.name() + " is given twice");
      }
    }
    return new Entities(byName);
  }

  public Map<TypeName, EntityType<?>> types() {
    return types;
  }

  /** Throws {@link IllegalArgumentException} naming the type when there is none of that name. */
  public EntityType<?> type(TypeName name) {
    EntityType<?> type = types.get(name);
    if (type == null) {
      throw new IllegalArgumentException("No entity type " + name + " (known: " + types.keySet() + ")");
    }
    return type;
  }

  /** Builds the entity types where they run. */
  @FunctionalInterface
  public interface Provider extends Serializable {
    Entities entities();
  }
}
