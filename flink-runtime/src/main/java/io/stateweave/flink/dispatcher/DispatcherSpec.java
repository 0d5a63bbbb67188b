package io.stateweave.flink.dispatcher;

import io.stateweave.flink.module.EmbeddedFunctionsSpec;
import io.stateweave.sdk.TypeName;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** What the dispatcher needs on the TaskManager: its functions (by class name) and egress ids. */
public final class DispatcherSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<EmbeddedFunctionsSpec> functions;
  private final Set<TypeName> egresses;
  private final Duration feedbackTimeout;

  public DispatcherSpec(
      List<EmbeddedFunctionsSpec> functions, Set<TypeName> egresses, Duration feedbackTimeout) {
    this.functions = List.copyOf(functions);
    this.egresses = Set.copyOf(egresses);
    this.feedbackTimeout = Objects.requireNonNull(feedbackTimeout, "feedbackTimeout");
  }

  List<EmbeddedFunctionsSpec> functions() {
    return functions;
  }

  Set<TypeName> egresses() {
    return egresses;
  }

  Duration feedbackTimeout() {
    return feedbackTimeout;
  }
}
