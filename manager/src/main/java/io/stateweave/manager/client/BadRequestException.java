package io.stateweave.manager.client;

/**
 * HTTP 400. The definition or the request is invalid: a bad module names its file, document and
 * field.
 */
public final class BadRequestException extends StateweaveException {
  private static final long serialVersionUID = 1L;

  public BadRequestException(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 400;
  }
}
