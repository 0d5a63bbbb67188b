/**
 * Processors on Flink: a task's Kafka inputs, keyed by record key, into one keyed operator that
 * runs the processor with its stores in Flink keyed state, and exactly-once Kafka outputs on the
 * egress package's Kafka sink. {@link io.stateweave.flink.processor.Processors} is the entry.
 */
package io.stateweave.flink.processor;
