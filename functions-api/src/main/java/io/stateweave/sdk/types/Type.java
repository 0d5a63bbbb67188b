package io.stateweave.sdk.types;

import io.stateweave.sdk.TypeName;

/**
 * How values of {@code T} travel as bytes, and under which type name. Embedded and remote functions
 * understand each other when they agree on the type name and the bytes.
 */
public interface Type<T> {

  TypeName typeName();

  byte[] serialize(T value);

  /** Throws {@link IllegalArgumentException} naming the type when the bytes do not decode. */
  T deserialize(byte[] bytes);
}
