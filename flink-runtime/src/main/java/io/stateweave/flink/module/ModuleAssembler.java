package io.stateweave.flink.module;

import io.stateweave.sdk.FunctionBinding;
import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.entity.Entities;
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
  private final List<EntitiesSpec> entities = new ArrayList<>();
  private final List<TransactionsKafkaSpec> transactions = new ArrayList<>();
  private Field firstEntities;
  private Field firstTransactions;

  // where each name was first defined, for the message about the second definition
  private final Map<TypeName, Document> ingressIds = new HashMap<>();
  private final Map<TypeName, Document> egressIds = new HashMap<>();
  private final Map<String, Document> functionTypes = new HashMap<>();
  private final Map<TypeName, Document> entityTypes = new HashMap<>();

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

  /** Entity types are unique across providers and documents, as function types are. */
  void entities(EntitiesSpec spec, List<Entities> byProvider, Field specField) {
    for (int i = 0; i < byProvider.size(); i++) {
      String field = specField.path() + ".providers[" + i + "]";
      for (TypeName type : byProvider.get(i).types().keySet()) {
        unique(entityTypes, type, "entity type", specField, field);
      }
    }
    firstEntities = firstEntities == null ? specField : firstEntities;
    entities.add(spec);
  }

  /** One executor per job (its state is under one uid), so one source of requests. */
  void transactions(TransactionsKafkaSpec spec, Field specField) {
    if (firstTransactions != null) {
      throw specField.document().error(
          null,
          "expected one transactions component per module, got a second; "
              + firstTransactions.document().nameSeenFrom(specField.document())
              + " already defines "
              + transactions.get(0).id());
    }
    Field id = specField.get("id");
    unique(ingressIds, spec.id(), "ingress id", id, id.path());
    firstTransactions = specField;
    transactions.add(spec);
  }

  ModuleSpec build() {
    if (firstTransactions != null && entities.isEmpty()) {
      throw firstTransactions.document().error(
          null,
          "expected entity types to run the transactions, got none: add an "
              + EntitiesSpec.KIND
              + " document");
    }
    if (firstEntities != null && transactions.isEmpty()) {
      throw firstEntities.document().error(
          null,
          "expected a source of transaction requests for these entity types, got none: add an "
              + TransactionsKafkaSpec.KIND
              + " document");
    }
    if (functions.isEmpty()
        && ingresses.isEmpty()
        && egresses.isEmpty()
        && endpoints.isEmpty()
        && processors.isEmpty()
        && transactions.isEmpty()) {
      throw new ModuleSpecException(
          source,
          0,
          null,
          null,
          "expected at least one component (a document with 'kind' and 'spec'), got none");
    }
    return new ModuleSpec(
        source,
        functions,
        ingresses,
        egresses,
        endpoints,
        legacyFunctions,
        processors,
        entities,
        transactions);
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
