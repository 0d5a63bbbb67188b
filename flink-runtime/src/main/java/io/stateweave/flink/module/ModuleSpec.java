package io.stateweave.flink.module;

import io.stateweave.sdk.processor.TaskConfig;
import java.io.Serializable;
import java.util.List;

/**
 * A loaded {@code module.yaml}: what the job runs. Everything here is serializable because it
 * travels with the job graph to the TaskManagers, where functions are instantiated.
 */
public record ModuleSpec(
    String source,
    List<EmbeddedFunctionsSpec> functions,
    List<IngressSpec> ingresses,
    List<EgressSpec> egresses,
    List<HttpEndpointSpec> endpoints,
    List<LegacyFunctionSpec> legacyFunctions,
    List<TaskConfig> processors,
    List<EntitiesSpec> entities,
    List<TransactionsKafkaSpec> transactions)
    implements Serializable {

  /**
   * @param endpoints every HTTP endpoint, also the one of each legacy function
   * @param legacyFunctions the remote functions declared the StateFun 2.x way, which speak its
   *     protocol
   * @param processors the processor tasks, which run beside the functions
   * @param entities the entity types' providers, for transactions
   * @param transactions where transaction requests come from and answers go (at most one)
   */
  public ModuleSpec {
    functions = List.copyOf(functions);
    ingresses = List.copyOf(ingresses);
    egresses = List.copyOf(egresses);
    endpoints = List.copyOf(endpoints);
    legacyFunctions = List.copyOf(legacyFunctions);
    processors = List.copyOf(processors);
    entities = List.copyOf(entities);
    transactions = List.copyOf(transactions);
  }

  /** A module without processor tasks and transactions. */
  public ModuleSpec(
      String source,
      List<EmbeddedFunctionsSpec> functions,
      List<IngressSpec> ingresses,
      List<EgressSpec> egresses,
      List<HttpEndpointSpec> endpoints,
      List<LegacyFunctionSpec> legacyFunctions) {
    this(
        source,
        functions,
        ingresses,
        egresses,
        endpoints,
        legacyFunctions,
        List.of(),
        List.of(),
        List.of());
  }

  /** A module without StateFun 2.x functions. */
  public ModuleSpec(
      String source,
      List<EmbeddedFunctionsSpec> functions,
      List<IngressSpec> ingresses,
      List<EgressSpec> egresses,
      List<HttpEndpointSpec> endpoints) {
    this(source, functions, ingresses, egresses, endpoints, List.of());
  }
}
