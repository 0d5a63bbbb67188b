package io.stateweave.sdk.entity;

/**
 * A called function threw. Carries the class name and message of what it threw, which are what
 * the client of the aborted transaction gets.
 */
public final class CallFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String errorClass;
  private final String errorMessage;

  public CallFailedException(String errorClass, String errorMessage) {
    super(errorClass + ": " + errorMessage);
    this.errorClass = errorClass;
    this.errorMessage = errorMessage;
  }

  public String errorClass() {
    return errorClass;
  }

  public String errorMessage() {
    return errorMessage;
  }
}
