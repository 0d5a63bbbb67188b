package io.stateweave.sdk;

import com.google.protobuf.Any;
import io.stateweave.sdk.types.Type;
import io.stateweave.sdk.types.Types;
import java.util.Objects;

/** A message a function receives: a typed value, read with {@code is…} / {@code as…}. */
public final class Message {
  private final TypedValue value;

  public Message(TypedValue value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  public TypeName valueTypeName() {
    return value.typeName();
  }

  public TypedValue typedValue() {
    return value;
  }

  public boolean is(Type<?> type) {
    return value.typeName().equals(type.typeName());
  }

  /** The value as {@code type}; a clear error if the message has another type. */
  public <T> T as(Type<T> type) {
    if (!is(type)) {
      throw new IllegalStateException(
          "Message has type " + value.typeName() + ", not " + type.typeName());
    }
    return type.deserialize(value.bytes());
  }

  public boolean isString() {
    return is(Types.STRING);
  }

  public String asString() {
    return as(Types.STRING);
  }

  public boolean isInt() {
    return is(Types.INT);
  }

  public int asInt() {
    return as(Types.INT);
  }

  public boolean isLong() {
    return is(Types.LONG);
  }

  public long asLong() {
    return as(Types.LONG);
  }

  public boolean isBoolean() {
    return is(Types.BOOLEAN);
  }

  public boolean asBoolean() {
    return as(Types.BOOLEAN);
  }

  public boolean isFloat() {
    return is(Types.FLOAT);
  }

  public float asFloat() {
    return as(Types.FLOAT);
  }

  public boolean isDouble() {
    return is(Types.DOUBLE);
  }

  public double asDouble() {
    return as(Types.DOUBLE);
  }

  /** The message as a protobuf {@code Any}, whatever its type. */
  public Any asAny() {
    return value.toAny();
  }

  public <M extends com.google.protobuf.Message> boolean isProtobuf(Class<M> messageClass) {
    return is(Types.protobuf(messageClass));
  }

  /** Unpacks a protobuf message, as {@code Any.unpack} does. */
  public <M extends com.google.protobuf.Message> M unpack(Class<M> messageClass) {
    return as(Types.protobuf(messageClass));
  }

  @Override
  public String toString() {
    return "Message{" + value.typeName() + "}";
  }
}
