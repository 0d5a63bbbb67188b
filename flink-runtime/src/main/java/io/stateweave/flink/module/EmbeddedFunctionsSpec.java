package io.stateweave.flink.module;

import io.stateweave.sdk.StatefulFunction;
import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.StatefulFunctionsProvider;
import java.io.Serializable;
import java.util.List;

/**
 * {@code io.stateweave.functions.v1/java}: Java functions running inside the job, named by class. A
 * function class needs a public no-argument constructor and, when {@code type} is not given, a
 * {@code @FunctionType} annotation; a provider class implements {@link StatefulFunctionsProvider}.
 */
public record EmbeddedFunctionsSpec(List<ClassBinding> functions, List<String> providers)
    implements Serializable {

  public static final io.stateweave.sdk.TypeName KIND =
      io.stateweave.sdk.TypeName.parse("io.stateweave.functions.v1/java");

  public EmbeddedFunctionsSpec {
    functions = List.copyOf(functions);
    providers = List.copyOf(providers);
  }

  /** A function class, with its type or null to take it from the class's annotation. */
  public record ClassBinding(String type, String className) implements Serializable {}

  /** Loads and instantiates the classes; errors name the class and what is wrong with it. */
  public StatefulFunctions instantiate(ClassLoader classLoader) {
    StatefulFunctions result = new StatefulFunctions();
    for (ClassBinding binding : functions) {
      StatefulFunction function =
          newInstance(classLoader, binding.className(), StatefulFunction.class);
      if (binding.type() == null) {
        result.register(function);
      } else {
        result.bind(binding.type(), function);
      }
    }
    for (String provider : providers) {
      result.registerAll(
          newInstance(classLoader, provider, StatefulFunctionsProvider.class).functions());
    }
    return result;
  }

  private static <T> T newInstance(ClassLoader classLoader, String className, Class<T> expected) {
    Class<?> type;
    try {
      type = Class.forName(className, true, classLoader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException("class " + className + " not found on the classpath", e);
    }
    if (!expected.isAssignableFrom(type)) {
      String legacy = StatefunV2JavaSdk.interfaceOf(type);
      if (legacy != null) {
        throw new IllegalArgumentException(
            "class "
                + className
                + " implements "
                + legacy
                + " of StateFun's 2.x Java SDK, whose embedded functions are not supported:"
                + " implement "
                + expected.getName()
                + ", or serve the function remotely");
      }
      throw new IllegalArgumentException(
          "class " + className + " does not implement " + expected.getName());
    }
    try {
      return expected.cast(type.getConstructor().newInstance());
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(
          "class " + className + " has no public no-argument constructor", e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("class " + className + " could not be created: " + e, e);
    }
  }
}
