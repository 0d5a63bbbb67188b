package io.stateweave.flink.module;

import io.stateweave.sdk.FunctionBinding;
import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.processor.TaskConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the components of a module file, document by document, and rejects what only shows
 * across documents: an id or a function type defined twice.
 */
final class ModuleAssembler {
  private final String source;
  private final List<EmbeddedFunctionsSpec> functions = new ArrayList<>();
  private final List<IngressSpec> ingresses = new ArrayList<>();
  private final List<EgressSpec> egresses = new ArrayList<>();
  private final List<HttpEndpointSpec> endpoints = new ArrayList<>();
  private final List<LegacyFunctionSpec> legacyFunctions = new ArrayList<>();
  private final List<TaskConfig> processors = new ArrayList<>();
  private final Map<String, Document> processorNames = new HashMap<>();

  // where each name was first defined, for the message about the second definition
  private final Map<TypeName, Document> ingressIds = new HashMap<>();
  private final Map<TypeName, Document> egressIds = new HashMap<>();
  private final Map<String, Document> functionTypes = new HashMap<>();

  ModuleAssembler(String source) {
    this.source = source;
  }

  void functions(EmbeddedFunctionsSpec spec, StatefulFunctions instances, Field specField) {
    for (FunctionBinding binding : instances.bindings().values()) {
      Class<?> functionClass = binding.function().getClass();
      String field = EmbeddedFunctionsParser.fieldOfClass(spec, specField, functionClass);
      unique(functionTypes, binding.type().canonical(), "function type", specField, field);
    }
    functions.add(spec);
  }

  void ingress(IngressSpec spec, Field specField) {
    ingressNamedBy(spec, specField.get("id"));
  }

  /** An ingress whose id is the given field: in the older formats it is in {@code meta}. */
  void ingressNamedBy(IngressSpec spec, Field idField) {
    unique(ingressIds, spec.id(), "ingress id", idField, idField.path());
    ingresses.add(spec);
  }

  void egress(EgressSpec spec, Field specField) {
    egressNamedBy(spec, specField.get("id"));
  }

  /** An egress whose id is the given field: in the older formats it is in {@code meta}. */
  void egressNamedBy(EgressSpec spec, Field idField) {
    unique(egressIds, spec.id(), "egress id", idField, idField.path());
    egresses.add(spec);
  }

  /** A function of StateFun 2.x: an endpoint of its own type, with its declared states. */
  void legacyFunction(LegacyFunctionSpec spec, Field typeField) {
    String type = spec.functionType().canonical();
    unique(functionTypes, type, "function type", typeField, typeField.path());
    endpoints.add(spec.httpEndpoint());
    legacyFunctions.add(spec);
  }

  /** An endpoint for {@code ns/name} binds that type; {@code ns/*} binds a namespace, once. */
  void endpoint(HttpEndpointSpec spec, Field specField) {
    String what = spec.functions().endsWith("/*") ? "namespace" : "function type";
    unique(functionTypes, spec.functions(), what, specField, specField.get("functions").path());
    endpoints.add(spec);
  }

  /** A processor task; its name makes its operator ids, so it must be unique. */
  void processor(TaskConfig task, Field specField) {
    unique(processorNames, task.name(), "processor task name", specField, specField.get("name").path());
    processors.add(task);
  }

  ModuleSpec build() {
    if (functions.isEmpty()
        && ingresses.isEmpty()
        && egresses.isEmpty()
        && endpoints.isEmpty()
        && processors.isEmpty()) {
      throw new ModuleSpecException(
          source,
          0,
          null,
          null,
          "expected at least one component (a document with 'kind' and 'spec'), got none");
    }
    return new ModuleSpec(
        source, functions, ingresses, egresses, endpoints, legacyFunctions, processors);
  }

  private static <K> void unique(
      Map<K, Document> seen, K name, String what, Field specField, String field) {
    Document document = specField.document();
    Document first = seen.putIfAbsent(name, document);
    if (first != null) {
      String where = first.nameSeenFrom(document);
      throw document.error(
          field,
          "expected a unique " + what + ", got " + name + " which " + where + " already binds");
    }
  }
}
