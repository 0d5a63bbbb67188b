package io.stateweave.flink.api;

import io.stateweave.sdk.StatefulFunction;
import java.io.Serializable;

/**
 * Makes a function instance on each TaskManager; it travels with the job, so it must be
 * serializable (a constructor reference {@code Greeter::new} is).
 */
@FunctionalInterface
public interface FunctionSupplier extends Serializable {
  StatefulFunction get();
}
