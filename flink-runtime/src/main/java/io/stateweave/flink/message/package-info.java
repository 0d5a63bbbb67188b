/**
 * Internal to the runtime: not an API, and it may change in any release. Programs use {@link
 * io.stateweave.flink.api} and the module loader ({@link io.stateweave.flink.module}).
 */
package io.stateweave.flink.message;
