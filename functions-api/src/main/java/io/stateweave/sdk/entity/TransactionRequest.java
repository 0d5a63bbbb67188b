package io.stateweave.sdk.entity;

import io.stateweave.sdk.TypeName;
import java.util.Objects;

/**
 * What a client submits: the root function of a transaction and the id the client correlates the
 * answer by.
 */
public record TransactionRequest(
    String requestId, TypeName entityType, String function, String key, Args args) {
  public TransactionRequest {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(entityType, "entityType");
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(args, "args");
  }

  public static TransactionRequest of(
      String requestId, TypeName entityType, String function, String key, Object... args) {
    return new TransactionRequest(requestId, entityType, function, key, Args.of(args));
  }
}
