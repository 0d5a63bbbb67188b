package io.stateweave.flink.module;

import io.stateweave.flink.module.EmbeddedFunctionsSpec.ClassBinding;
import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.TypeName;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code io.stateweave.functions.v1/java} and checks that its classes can be created. */
final class EmbeddedFunctionsParser {
  private EmbeddedFunctionsParser() {}

  static EmbeddedFunctionsSpec parse(Field spec) {
    spec.mapping(
        "a mapping with 'functions' and/or 'providers'", List.of("functions", "providers"));
    List<ClassBinding> functions = new ArrayList<>();
    for (Field function : spec.get("functions").optionalList("mappings with 'class' and 'type'")) {
      function.mapping("a mapping with 'class' and an optional 'type'", List.of("class", "type"));
      TypeName type = function.get("type").optionalTypeName("a function type", null);
      String className = function.get("class").text("a fully qualified class name");
      functions.add(new ClassBinding(type == null ? null : type.canonical(), className));
    }
    List<String> providers = new ArrayList<>();
    for (Field provider : spec.get("providers").optionalList("fully qualified class names")) {
      providers.add(provider.text("a fully qualified class name"));
    }
    if (functions.isEmpty() && providers.isEmpty()) {
      throw spec.error("expected at least one entry in 'functions' or 'providers', got none");
    }
    return new EmbeddedFunctionsSpec(functions, providers);
  }

  /**
   * Creates the functions once, with the classes the job will use, so that a wrong class name fails
   * here rather than on a TaskManager after the job started.
   */
  static StatefulFunctions instantiate(EmbeddedFunctionsSpec functions, Field spec) {
    try {
      return functions.instantiate(Thread.currentThread().getContextClassLoader());
    } catch (RuntimeException e) {
      String problem = e.getMessage() == null ? e.toString() : e.getMessage();
      throw spec.document().error(fieldOf(functions, spec, problem), problem, e);
    }
  }

  /** The entry a failure is about; the failures name the class first, so match on that. */
  private static String fieldOf(EmbeddedFunctionsSpec functions, Field spec, String problem) {
    for (int i = 0; i < functions.functions().size(); i++) {
      if (namesClass(problem, functions.functions().get(i).className())) {
        return spec.path() + ".functions[" + i + "].class";
      }
    }
    for (int i = 0; i < functions.providers().size(); i++) {
      if (namesClass(problem, functions.providers().get(i))) {
        return spec.path() + ".providers[" + i + "]";
      }
    }
    return null;
  }

  private static boolean namesClass(String problem, String className) {
    return problem.startsWith("class " + className + " ") || problem.startsWith(className + " ");
  }

  /** The entry of {@code spec.functions} naming {@code functionClass}, or null for a provider's. */
  static String fieldOfClass(EmbeddedFunctionsSpec functions, Field spec, Class<?> functionClass) {
    for (int i = 0; i < functions.functions().size(); i++) {
      if (functions.functions().get(i).className().equals(functionClass.getName())) {
        return spec.path() + ".functions[" + i + "]";
      }
    }
    return null;
  }
}
