/**
 * Stateful functions inside a Flink DataStream program: the one public package of {@code
 * stateweave-flink-runtime} besides the module loader's results.
 *
 * <p>{@link io.stateweave.flink.api.StatefulFunctionsBuilder} binds functions (instances made by
 * serializable suppliers, or a module's classes), remote endpoints and module.yaml documents,
 * takes any {@code DataStream} as an ingress through a {@link io.stateweave.flink.api.Router}, and
 * returns each egress as a {@code DataStream} for the program's own sinks. It changes nothing else
 * in the program: it needs aligned checkpoints (checked, with a clear error) and leaves object reuse
 * and every other setting to the program.
 */
package io.stateweave.flink.api;
