package io.stateweave.manager.client;

/** HTTP 404. No definition of that name, or no savepoint of that path. */
public final class NotFoundException extends StateweaveException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 404;
  }
}
