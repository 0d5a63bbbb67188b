package io.stateweave.flink.transaction;

/**
 * The state backend failed while a function ran. An {@link Error}, not an exception, so that it
 * passes through {@code CallGraph}, which turns a function's exceptions into aborts, and fails the
 * job instead of aborting a transaction for the backend's sake.
 */
final class StateAccessError extends Error {
  private static final long serialVersionUID = 1L;

  StateAccessError(Throwable cause) {
    super("The state backend failed: " + cause, cause);
  }
}
