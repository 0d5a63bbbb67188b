package io.stateweave.sdk.entity;

import io.stateweave.sdk.TypeName;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
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

  /** Writes the request in the form clients and the runtime exchange; see {@link #read}. */
  public void write(DataOutput out) throws IOException {
    out.writeUTF(requestId);
    out.writeUTF(entityType.canonical());
    out.writeUTF(function);
    out.writeUTF(key);
    Values.write(out, args.asList());
  }

  @SuppressWarnings("unchecked")
  public static TransactionRequest read(DataInput in) throws IOException {
    String requestId = in.readUTF();
    TypeName entityType = TypeName.parse(in.readUTF());
    String function = in.readUTF();
    String key = in.readUTF();
    Object args = Values.read(in);
    if (!(args instanceof List)) {
      throw new IOException("Not a request's bytes: arguments are not a list");
    }
    return new TransactionRequest(
        requestId, entityType, function, key, Args.of((List<Object>) args));
  }
}
