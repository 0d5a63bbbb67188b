package io.stateweave.flink.dispatcher;

import io.stateweave.flink.message.Envelope;
import io.stateweave.sdk.TypeName;
import java.util.Set;
import java.util.TreeSet;

/** A message was addressed to a function type that the module does not bind. */
public final class UnknownFunctionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UnknownFunctionException(Envelope envelope, Set<TypeName> bound) {
    super(
        "No function is bound to type "
            + envelope.target().type()
            + " (message of type "
            + envelope.payload().typeName()
            + " for id '"
            + envelope.target().id()
            + "'"
            + (envelope.caller() == null ? " from an ingress" : " from " + envelope.caller())
            + "); bound types: "
            + sorted(bound));
  }

  private static Set<String> sorted(Set<TypeName> types) {
    Set<String> result = new TreeSet<>();
    types.forEach(t -> result.add(t.canonical()));
    return result;
  }
}
