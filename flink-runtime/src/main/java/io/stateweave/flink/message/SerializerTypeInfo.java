package io.stateweave.flink.message;

import java.util.Objects;
import java.util.function.Supplier;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Type information that hands out one of our own serializers, so Flink never falls back to Kryo for
 * the runtime's records.
 */
public final class SerializerTypeInfo<T> extends TypeInformation<T> {
  private static final long serialVersionUID = 1L;

  private final Class<T> typeClass;
  private final SerializableSupplier<TypeSerializer<T>> serializer;
  private final boolean keyType;

  /** A supplier that survives Java serialization of the job graph. */
  public interface SerializableSupplier<S> extends Supplier<S>, java.io.Serializable {}

  public SerializerTypeInfo(
      Class<T> typeClass, SerializableSupplier<TypeSerializer<T>> serializer) {
    this(typeClass, serializer, false);
  }

  private SerializerTypeInfo(
      Class<T> typeClass, SerializableSupplier<TypeSerializer<T>> serializer, boolean keyType) {
    this.typeClass = Objects.requireNonNull(typeClass, "typeClass");
    this.serializer = Objects.requireNonNull(serializer, "serializer");
    this.keyType = keyType;
  }

  /**
   * Type information of a type that Flink may key streams by: its {@code hashCode} and {@code
   * equals} must be by value, and its serializer's bytes equal for equal values.
   */
  public static <T> SerializerTypeInfo<T> forKeys(
      Class<T> typeClass, SerializableSupplier<TypeSerializer<T>> serializer) {
    return new SerializerTypeInfo<>(typeClass, serializer, true);
  }

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<T> getTypeClass() {
    return typeClass;
  }

  @Override
  public boolean isKeyType() {
    return keyType;
  }

  @Override
  public TypeSerializer<T> createSerializer(SerializerConfig config) {
    return serializer.get();
  }

  @Override
  public String toString() {
    return typeClass.getSimpleName();
  }

  @Override
  public boolean equals(Object obj) {
    return obj instanceof SerializerTypeInfo<?> other
        && other.typeClass == typeClass
        && other.keyType == keyType;
  }

  @Override
  public int hashCode() {
    return typeClass.hashCode();
  }

  @Override
  public boolean canEqual(Object obj) {
    return obj instanceof SerializerTypeInfo;
  }
}
