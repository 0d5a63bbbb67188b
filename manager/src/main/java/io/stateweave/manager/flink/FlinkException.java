package io.stateweave.manager.flink;

/**
 * Flink's REST API refused a request or could not be reached; the message is Flink's, summed up.
 */
public final class FlinkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  FlinkException(int status, String message) {
    super(message);
    this.status = status;
  }

  FlinkException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
  }

  /** The HTTP status of Flink's answer, or 0 when none came. */
  public int status() {
    return status;
  }
}
