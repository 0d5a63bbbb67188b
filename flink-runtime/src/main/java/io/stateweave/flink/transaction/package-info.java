/**
 * Transactions of entity functions ({@code io.stateweave.sdk.entity}), after Styx and Aria: requests
 * are sequenced into epochs, each epoch's transactions run against the state at the epoch's start,
 * reservations decide deterministically which commit, and the rest run again one by one in a
 * fallback phase before the epoch ends. The README's "How it works" describes the protocol and its
 * invariants; {@link io.stateweave.flink.transaction.Transactions} puts it into a job.
 */
package io.stateweave.flink.transaction;
