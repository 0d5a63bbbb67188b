package io.stateweave.flink.remote;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.types.Type;
import java.util.Objects;

/**
 * The type of a remote function's state: the runtime only keeps the bytes under the type name the
 * function registered; the function's SDK encodes and decodes them.
 */
final class RawType implements Type<byte[]> {
  private final TypeName typeName;

  RawType(TypeName typeName) {
    this.typeName = Objects.requireNonNull(typeName, "typeName");
  }

  @Override
  public TypeName typeName() {
    return typeName;
  }

  @Override
  public byte[] serialize(byte[] value) {
    return value;
  }

  @Override
  public byte[] deserialize(byte[] bytes) {
    return bytes;
  }

  @Override
  public String toString() {
    return typeName.toString();
  }
}
