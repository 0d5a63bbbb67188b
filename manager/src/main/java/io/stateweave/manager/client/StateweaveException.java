package io.stateweave.manager.client;

/**
 * A request the manager refused or could not carry out; the subclass says whose fault it was, the
 * message says what happened, as the manager put it.
 */
public abstract class StateweaveException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StateweaveException(String message) {
    super(message);
  }

  /** The HTTP status the manager answers with for this class of error. */
  public abstract int status();
}
