package io.stateweave.manager.client;

/** HTTP 500. The cluster failed to do what was asked; the message includes Flink's own. */
public final class ServerException extends StateweaveException {
  private static final long serialVersionUID = 1L;

  public ServerException(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 500;
  }
}
