package io.stateweave.sdk.types;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.function.Function;

/**
 * One of StateFun's primitive types ({@code io.statefun.types/int} and the others listed by {@link
 * Types#primitives()}): a proto3 message with the value in field 1, so the default value encodes to
 * no bytes, as every StateFun SDK writes it. Its values are immutable instances of {@link
 * #javaClass()} and can be written as text.
 */
public final class PrimitiveType<T> implements Type<T> {
  static final String NAMESPACE = "io.statefun.types";

  private final TypeName typeName;
  private final Class<T> javaClass;
  private final WireCodec<T> codec;
  private final Function<String, T> textParser;

  PrimitiveType(
      String name, Class<T> javaClass, WireCodec<T> codec, Function<String, T> textParser) {
    this.typeName = TypeName.of(NAMESPACE, name);
    this.javaClass = Objects.requireNonNull(javaClass, "javaClass");
    this.codec = Objects.requireNonNull(codec, "codec");
    this.textParser = Objects.requireNonNull(textParser, "textParser");
  }

  @Override
  public TypeName typeName() {
    return typeName;
  }

  /** The class of the values, a wrapper of a Java primitive or {@code String}. */
  public Class<T> javaClass() {
    return javaClass;
  }

  @Override
  public byte[] serialize(T value) {
    Objects.requireNonNull(value, () -> "a " + typeName + " value must not be null");
    if (codec.isDefault(value)) {
      return new byte[0];
    }
    byte[] canonical = codec.writeCanonical(value);
    if (canonical != null) {
      return canonical;
    }
    // exactly sized: no intermediate stream and buffer, no copy
    byte[] bytes = new byte[codec.size(value)];
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      codec.write(out, value);
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes;
  }

  @Override
  public T deserialize(byte[] bytes) {
    T canonical = codec.readCanonical(bytes);
    if (canonical != null) {
      return canonical;
    }
    T value = codec.defaultValue();
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag >>> 3 == 1) {
          value = codec.read(in);
        } else if (!in.skipField(tag)) {
          break;
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("Bytes are not a valid " + typeName + " value", e);
    }
    return value;
  }

  /**
   * The value that text stands for (a line of a file, a value in a module file): a string as it
   * is, a number or {@code true}/{@code false} without surrounding blanks. Throws {@link
   * IllegalArgumentException} naming the type and the text when it is not a value of the type.
   */
  public TypedValue fromText(String text) {
    Objects.requireNonNull(text, "text");
    T value;
    try {
      value = textParser.apply(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + text + "' is not a valid " + typeName + " value", e);
    }
    return TypedValue.of(this, value);
  }

  @Override
  public String toString() {
    return typeName.toString();
  }
}
