package io.stateweave.manager.client;

/**
 * A savepoint the manager took (stop) of one of the definition's jobs; {@code takenAt} ISO-8601.
 */
public record Savepoint(String path, String jobId, String takenAt) {}
