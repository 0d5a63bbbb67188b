package io.stateweave.flink.module;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.entity.Entities;
import io.stateweave.sdk.entity.EntityType;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code io.stateweave.entities.v1/java}: entity types for transactions, built by provider classes
 * named in the module. A provider class implements {@link Entities.Provider} and has a public
 * no-argument constructor; the spec is itself the job's provider, so only class names travel with
 * the job graph and the entities are built where they run.
 */
public record EntitiesSpec(List<String> providers) implements Entities.Provider {
  private static final long serialVersionUID = 1L;

  public static final TypeName KIND = TypeName.parse("io.stateweave.entities.v1/java");

  public EntitiesSpec {
    providers = List.copyOf(providers);
  }

  /** Every provider's entity types, with the context class loader (the job's, on a TaskManager). */
  @Override
  public Entities entities() {
    return instantiate(Thread.currentThread().getContextClassLoader());
  }

  /** Builds the entity types; errors name the class and what is wrong with it, or the type. */
  public Entities instantiate(ClassLoader classLoader) {
    List<EntityType<?>> types = new ArrayList<>();
    for (String provider : providers) {
      types.addAll(newProvider(classLoader, provider).entities().types().values());
    }
    return Entities.of(types.toArray(EntityType<?>[]::new));
  }

  /** The entity types one provider builds. */
  static Entities instantiate(ClassLoader classLoader, String provider) {
    return newProvider(classLoader, provider).entities();
  }

  private static Entities.Provider newProvider(ClassLoader classLoader, String className) {
    Class<?> type;
    try {
      type = Class.forName(className, true, classLoader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException("class " + className + " not found on the classpath", e);
    }
    if (!Entities.Provider.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(
          "class " + className + " does not implement " + Entities.Provider.class.getName());
    }
    try {
      return (Entities.Provider) type.getConstructor().newInstance();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(
          "class " + className + " has no public no-argument constructor", e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("class " + className + " could not be created: " + e, e);
    }
  }
}
