package io.stateweave.sdk;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import io.stateweave.sdk.types.Type;
import io.stateweave.sdk.types.Types;
import java.util.Arrays;
import java.util.Objects;

/**
 * A value with its type name: what messages, egress records and state carry. A packed protobuf
 * {@link Any} is exactly a typed value whose type name is the {@code Any}'s type URL.
 */
public final class TypedValue {
  private final TypeName typeName;
  private final byte[] value;

  private TypedValue(TypeName typeName, byte[] value) {
    this.typeName = Objects.requireNonNull(typeName, "typeName");
    this.value = Objects.requireNonNull(value, "value");
  }

  /** Wraps bytes that are already serialized; the array is not copied. */
  public static TypedValue ofBytes(TypeName typeName, byte[] value) {
    return new TypedValue(typeName, value);
  }

  public static <T> TypedValue of(Type<T> type, T value) {
    Objects.requireNonNull(type, "type");
    return new TypedValue(type.typeName(), type.serialize(value));
  }

  public static TypedValue of(String value) {
    return of(Types.STRING, value);
  }

  public static TypedValue of(int value) {
    return of(Types.INT, value);
  }

  public static TypedValue of(long value) {
    return of(Types.LONG, value);
  }

  public static TypedValue of(boolean value) {
    return of(Types.BOOLEAN, value);
  }

  public static TypedValue of(double value) {
    return of(Types.DOUBLE, value);
  }

  /** A protobuf {@code Any} as it is: its type URL becomes the type name. */
  public static TypedValue of(Any any) {
    Objects.requireNonNull(any, "any");
    return new TypedValue(TypeName.parse(any.getTypeUrl()), any.getValue().toByteArray());
  }

  /** Packs a protobuf message, as {@code Any.pack} does. */
  public static TypedValue pack(com.google.protobuf.Message message) {
    Objects.requireNonNull(message, "message");
    return new TypedValue(
        TypeName.of(Types.PROTOBUF_NAMESPACE, message.getDescriptorForType().getFullName()),
        message.toByteArray());
  }

  public TypeName typeName() {
    return typeName;
  }

  /** The serialized value; not copied, do not modify. */
  public byte[] bytes() {
    return value;
  }

  public Any toAny() {
    return Any.newBuilder()
        .setTypeUrl(typeName.canonical())
        .setValue(ByteString.copyFrom(value))
        .build();
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TypedValue)) {
      return false;
    }
    TypedValue other = (TypedValue) o;
    return typeName.equals(other.typeName) && Arrays.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return 31 * typeName.hashCode() + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "TypedValue{" + typeName + ", " + value.length + " bytes}";
  }
}
