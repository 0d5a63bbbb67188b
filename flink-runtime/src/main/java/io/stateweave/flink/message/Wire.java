package io.stateweave.flink.message;

import io.stateweave.sdk.Address;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** The binary form of the API's values inside the runtime's serializers. */
final class Wire {
  private Wire() {}

  static void writeTypeName(TypeName typeName, DataOutputView out) throws IOException {
    out.write(TypeNameCodec.encoded(typeName));
  }

  static TypeName readTypeName(DataInputView in) throws IOException {
    return TypeNameCodec.read(in);
  }

  static void writeTypedValue(TypedValue value, DataOutputView out) throws IOException {
    writeTypeName(value.typeName(), out);
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
    writeAddress(address.type(), address.id(), out);
  }

  /** An address from its parts, in {@link #writeAddress(Address, DataOutputView)}'s form. */
  static void writeAddress(TypeName type, String id, DataOutputView out) throws IOException {
    writeTypeName(type, out);
    out.writeUTF(id);
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
