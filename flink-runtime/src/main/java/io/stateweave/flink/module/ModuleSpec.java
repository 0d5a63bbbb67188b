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
    List<TaskConfig> processors)
    implements Serializable {

  /**
   * @param endpoints every HTTP endpoint, also the one of each legacy function
   * @param legacyFunctions the remote functions declared the StateFun 2.x way, which speak its
   *     protocol
   * @param processors the processor tasks, which run beside the functions
   */
  public ModuleSpec {
    functions = List.copyOf(functions);
    ingresses = List.copyOf(ingresses);
    egresses = List.copyOf(egresses);
    endpoints = List.copyOf(endpoints);
    legacyFunctions = List.copyOf(legacyFunctions);
    processors = List.copyOf(processors);
  }

  /** A module without processor tasks. */
  public ModuleSpec(
      String source,
      List<EmbeddedFunctionsSpec> functions,
      List<IngressSpec> ingresses,
      List<EgressSpec> egresses,
      List<HttpEndpointSpec> endpoints,
      List<LegacyFunctionSpec> legacyFunctions) {
    this(source, functions, ingresses, egresses, endpoints, legacyFunctions, List.of());
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
