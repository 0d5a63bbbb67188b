/**
 * Processors, Function Stream's model on Stateweave's runtime: a {@link
 * io.stateweave.sdk.processor.Processor} reads byte records from the inputs of a {@link
 * io.stateweave.sdk.processor.TaskConfig}, keeps state in named {@link
 * io.stateweave.sdk.processor.KVStore}s and emits bytes to numbered output channels.
 *
 * <p>Nothing here depends on Flink: {@code io.stateweave.flink.processor.Processors} runs a task on
 * Flink, with exactly-once state and outputs, and {@link
 * io.stateweave.sdk.processor.ProcessorTestHarness} runs a processor in memory for unit tests.
 *
 * <p>A store is partitioned by the Kafka key of the record being processed: within {@code
 * process}, a store holds the entries written while processing records of the same key, and only
 * those. That is what makes it rescalable: records of one key, with their entries, always live on
 * one subtask.
 */
package io.stateweave.sdk.processor;
