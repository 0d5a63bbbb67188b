package io.stateweave.flink.dispatcher;

import io.stateweave.flink.delay.DelayedMessages;
import io.stateweave.flink.module.EmbeddedFunctionsSpec;
import io.stateweave.flink.remote.RemoteSpec;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.StatefulFunctionsProvider;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the dispatcher needs on the TaskManager: its embedded functions (by class name), egress ids,
 * remote functions and how long delayed messages may wait in memory.
 */
public final class DispatcherSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<EmbeddedFunctionsSpec> functions;
  private final List<StatefulFunctionsProvider> providedFunctions;
  private final Set<TypeName> egresses;
  private final RemoteSpec remote;
  private final Duration delayMemoryHorizon;

  /** A dispatcher of embedded functions only. */
  public DispatcherSpec(List<EmbeddedFunctionsSpec> functions, Set<TypeName> egresses) {
    this(functions, egresses, RemoteSpec.none());
  }

  public DispatcherSpec(
      List<EmbeddedFunctionsSpec> functions, Set<TypeName> egresses, RemoteSpec remote) {
    this(functions, egresses, remote, DelayedMessages.DEFAULT_MEMORY_HORIZON);
  }

  public DispatcherSpec(
      List<EmbeddedFunctionsSpec> functions,
      Set<TypeName> egresses,
      RemoteSpec remote,
      Duration delayMemoryHorizon) {
    this(functions, List.of(), egresses, remote, delayMemoryHorizon);
  }

  /**
   * @param providedFunctions functions a program binds in code: serializable providers, called on
   *     each TaskManager
   */
  public DispatcherSpec(
      List<EmbeddedFunctionsSpec> functions,
      List<? extends StatefulFunctionsProvider> providedFunctions,
      Set<TypeName> egresses,
      RemoteSpec remote,
      Duration delayMemoryHorizon) {
    this.functions = List.copyOf(functions);
    this.providedFunctions = List.copyOf(providedFunctions);
    for (StatefulFunctionsProvider provider : this.providedFunctions) {
      if (!(provider instanceof Serializable)) {
        throw new IllegalArgumentException(
            "A function provider travels with the job, but "
                + provider.getClass().getName()
                + " is not serializable");
      }
    }
    this.egresses = Set.copyOf(egresses);
    this.remote = Objects.requireNonNull(remote, "remote");
    this.delayMemoryHorizon = Objects.requireNonNull(delayMemoryHorizon, "delayMemoryHorizon");
    if (delayMemoryHorizon.isNegative()) {
      throw new IllegalArgumentException(
          "The memory horizon of delayed messages must not be negative: " + delayMemoryHorizon);
    }
    if (remote.deadLetterEgress() != null && !egresses.contains(remote.deadLetterEgress())) {
      throw new IllegalArgumentException(
          "The dead-letter egress " + remote.deadLetterEgress() + " is none of " + egresses);
    }
  }

  /** The remote functions, which the dispatcher calls itself. */
  public RemoteSpec remote() {
    return remote;
  }

  List<EmbeddedFunctionsSpec> functions() {
    return functions;
  }

  List<StatefulFunctionsProvider> providedFunctions() {
    return providedFunctions;
  }

  /**
   * The function types the module names without loading a class: embedded functions bound to a
   * given type (checked by the module parser), and remote functions named without a wildcard.
   */
  public List<TypeName> namedFunctionTypes() {
    List<TypeName> named = new ArrayList<>(remote.namedFunctionTypes());
    for (EmbeddedFunctionsSpec functionsSpec : functions) {
      for (EmbeddedFunctionsSpec.ClassBinding binding : functionsSpec.functions()) {
        if (binding.type() != null) {
          named.add(TypeName.parse(binding.type()));
        }
      }
    }
    return named;
  }

  Set<TypeName> egresses() {
    return egresses;
  }

  Duration delayMemoryHorizon() {
    return delayMemoryHorizon;
  }
}
