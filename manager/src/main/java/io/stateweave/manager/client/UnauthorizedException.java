package io.stateweave.manager.client;

/** HTTP 401. The manager has a token and the request did not carry it. */
public final class UnauthorizedException extends StateweaveException {
  private static final long serialVersionUID = 1L;

  public UnauthorizedException(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 401;
  }
}
