package io.stateweave.flink.dispatcher;

import io.stateweave.flink.message.Envelope;

/** A function threw while handling a message; names the function, the address and the message. */
public final class FunctionInvocationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  FunctionInvocationException(Envelope envelope, Throwable cause) {
    super(
        "Function "
            + envelope.target().type()
            + " (id '"
            + envelope.target().id()
            + "') failed on a message of type "
            + envelope.payload().typeName()
            + (envelope.caller() == null ? " from an ingress" : " from " + envelope.caller())
            + ": "
            + cause.getMessage(),
        cause);
  }
}
