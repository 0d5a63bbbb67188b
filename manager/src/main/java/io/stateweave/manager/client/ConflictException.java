package io.stateweave.manager.client;

/** HTTP 409. The name is taken, or the definition is running (start) or not (stop). */
public final class ConflictException extends StateweaveException {
  private static final long serialVersionUID = 1L;

  public ConflictException(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 409;
  }
}
