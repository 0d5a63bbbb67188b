package io.stateweave.flink.message;

import io.stateweave.sdk.Address;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** The binary form of the API's values inside the runtime's serializers. */
final class Wire {
  /**
   * Type names read back, by their canonical form. A job has few distinct ones (its function types,
   * value types and ingresses), each read for nearly every record: parsing them again allocated
   * three strings per name, and a fresh name's string had to be hashed again by every map lookup
   * (functions, states) on the hot path. Bounded, so that a stream of distinct names cannot grow it
   * without end; beyond the bound names are parsed as before.
   */
  private static final int MAX_CACHED_TYPE_NAMES = 4_096;

  private static final ConcurrentHashMap<String, TypeName> TYPE_NAMES = new ConcurrentHashMap<>();

  private Wire() {}

  static TypeName readTypeName(DataInputView in) throws IOException {
    String canonical = in.readUTF();
    TypeName typeName = TYPE_NAMES.get(canonical);
    if (typeName == null) {
      typeName = TypeName.parse(canonical);
      if (TYPE_NAMES.size() < MAX_CACHED_TYPE_NAMES) {
        TYPE_NAMES.putIfAbsent(canonical, typeName);
      }
    }
    return typeName;
  }

  static void writeTypedValue(TypedValue value, DataOutputView out) throws IOException {
    out.writeUTF(value.typeName().canonical());
    byte[] bytes = value.bytes();
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static TypedValue readTypedValue(DataInputView in) throws IOException {
    TypeName typeName = readTypeName(in);
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return TypedValue.ofBytes(typeName, bytes);
  }

  static void writeAddress(Address address, DataOutputView out) throws IOException {
    out.writeUTF(address.type().canonical());
    out.writeUTF(address.id());
  }

  static Address readAddress(DataInputView in) throws IOException {
    TypeName type = readTypeName(in);
    return new Address(type, in.readUTF());
  }

  static void writeNullableAddress(Address address, DataOutputView out) throws IOException {
    out.writeBoolean(address != null);
    if (address != null) {
      writeAddress(address, out);
    }
  }

  static Address readNullableAddress(DataInputView in) throws IOException {
    return in.readBoolean() ? readAddress(in) : null;
  }

  static void writeNullableString(String value, DataOutputView out) throws IOException {
    out.writeBoolean(value != null);
    if (value != null) {
      out.writeUTF(value);
    }
  }

  static String readNullableString(DataInputView in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }
}
