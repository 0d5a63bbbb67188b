package io.stateweave.flink.module;

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
    List<HttpEndpointSpec> endpoints)
    implements Serializable {

  public ModuleSpec {
    functions = List.copyOf(functions);
    ingresses = List.copyOf(ingresses);
    egresses = List.copyOf(egresses);
    endpoints = List.copyOf(endpoints);
  }
}
