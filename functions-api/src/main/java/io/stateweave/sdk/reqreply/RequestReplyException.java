package io.stateweave.sdk.reqreply;

/**
 * A request the {@link RequestReplyHandler} cannot answer: it does not parse, targets a function
 * type that is not bound, or a function failed on it. The message names the function and the
 * invocation; a function's own exception is the cause.
 */
public final class RequestReplyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RequestReplyException(String message) {
    super(message);
  }

  RequestReplyException(String message, Throwable cause) {
    super(message, cause);
  }
}
