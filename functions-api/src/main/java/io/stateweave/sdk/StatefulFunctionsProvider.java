package io.stateweave.sdk;

/**
 * Supplies a module's functions; named in {@code module.yaml} by class name. Implementations need a
 * public no-argument constructor.
 */
public interface StatefulFunctionsProvider {

  StatefulFunctions functions();
}
