package io.stateweave.sdk.types;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import java.io.IOException;

/** A primitive's value as field 1 of a proto3 message, as the StateFun SDKs write it. */
interface WireCodec<T> {
  boolean isDefault(T value);

  /** The encoded size of a value that is not the default. */
  int size(T value);

  /**
   * The value of bytes that are exactly field 1 in its canonical form (what every SDK writes),
   * decoded without a parser; null for anything else, which then goes through the parser.
   */
  default T readCanonical(byte[] bytes) {
    return null;
  }

  /**
   * The canonical bytes of a value that is not the default, written without a protobuf stream
   * (whose set-up costs more than the few bytes of a number); null where there is no such path.
   */
  default byte[] writeCanonical(T value) {
    return null;
  }

  void write(CodedOutputStream out, T value) throws IOException;

  T read(CodedInputStream in) throws IOException;

  T defaultValue();
}
