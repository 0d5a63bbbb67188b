package io.stateweave.flink.api;

import io.stateweave.sdk.StatefulFunctionsProvider;
import java.io.Serializable;

/**
 * Binds functions with their state declarations on each TaskManager, as a module's provider class
 * does; it travels with the job, so it must be serializable.
 */
@FunctionalInterface
public interface FunctionsProvider extends StatefulFunctionsProvider, Serializable {}
