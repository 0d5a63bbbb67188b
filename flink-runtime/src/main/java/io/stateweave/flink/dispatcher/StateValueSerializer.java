package io.stateweave.flink.dispatcher;

import io.stateweave.sdk.types.PrimitiveType;
import io.stateweave.sdk.types.Type;
import io.stateweave.sdk.types.Types;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A function state's value in Flink state: its bytes ({@code byte[]}, the type's form, which is
 * what every SDK reads), or the value itself when it is of one of StateFun's primitive types, which
 * are immutable and known by their Java class, encoded only when Flink serializes it. On the heap
 * backend that is at checkpoints, so reading and writing such a state costs no decoding and
 * encoding per invocation; on RocksDB it is every write, as before.
 *
 * <p>Always written as {@link BytePrimitiveArraySerializer} writes bytes (a length, then the
 * bytes), and always read back as bytes: states of earlier versions, kept with that serializer,
 * restore as they are. Stateless, so that a serializer restored from a snapshot, which Flink may
 * keep using for a restored state, encodes values like the one that wrote them.
 */
final class StateValueSerializer extends TypeSerializerSingleton<Object> {
  private static final long serialVersionUID = 1L;
  static final StateValueSerializer INSTANCE = new StateValueSerializer();

  /** The class of the values of {@code type} that states keep decoded; null if they keep bytes. */
  static Class<?> decodedClass(Type<?> type) {
    return type instanceof PrimitiveType ? ((PrimitiveType<?>) type).javaClass() : null;
  }

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public Object createInstance() {
    return null;
  }

  /** Decoded values are immutable; bytes are copied, as Flink's serializer of bytes does. */
  @Override
  public Object copy(Object from) {
    return from instanceof byte[] ? ((byte[]) from).clone() : from;
  }

  @Override
  public Object copy(Object from, Object reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(Object record, DataOutputView target) throws IOException {
    byte[] bytes = record instanceof byte[] ? (byte[]) record : encode(record);
    target.writeInt(bytes.length);
    target.write(bytes);
  }

  @SuppressWarnings("unchecked")
  private static byte[] encode(Object value) {
    Type<Object> type = (Type<Object>) Types.primitive(value.getClass());
    if (type == null) {
      throw new IllegalStateException(
          "A state value of " + value.getClass().getName() + ", which is not kept decoded");
    }
    return type.serialize(value);
  }

  @Override
  public Object deserialize(DataInputView source) throws IOException {
    byte[] bytes = new byte[source.readInt()];
    source.readFully(bytes);
    return bytes;
  }

  @Override
  public Object deserialize(Object reuse, DataInputView source) throws IOException {
    return deserialize(source);
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    int length = source.readInt();
    target.writeInt(length);
    target.write(source, length);
  }

  @Override
  public TypeSerializerSnapshot<Object> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Public for Flink's reflective instantiation. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<Object> {
    public Snapshot() {
      super(() -> INSTANCE);
    }

    /** The same bytes as before, whether they were kept with this serializer or as plain bytes. */
    @Override
    public TypeSerializerSchemaCompatibility<Object> resolveSchemaCompatibility(
        TypeSerializerSnapshot<Object> oldSerializerSnapshot) {
      Object old = oldSerializerSnapshot;
      return old instanceof BytePrimitiveArraySerializer.BytePrimitiveArraySerializerSnapshot
          ? TypeSerializerSchemaCompatibility.compatibleAsIs()
          : super.resolveSchemaCompatibility(oldSerializerSnapshot);
    }
  }
}
