package io.stateweave.sdk;

import java.util.List;

/** A function received a message of a type it has no handler for. */
public final class UnexpectedMessageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnexpectedMessageException(
      Address address, TypeName messageType, List<TypeName> accepted) {
    super(
        "Function "
            + address.type()
            + " (id '"
            + address.id()
            + "') has no handler for messages of type "
            + messageType
            + "; it handles "
            + accepted);
  }
}
