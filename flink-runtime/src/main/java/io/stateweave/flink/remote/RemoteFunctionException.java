package io.stateweave.flink.remote;

/** A call of a remote function failed for good and the policy is to fail the job. */
public final class RemoteFunctionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RemoteFunctionException(String message, Throwable cause) {
    super(message, cause);
  }
}
