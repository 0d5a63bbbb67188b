package io.stateweave.flink.message;

import io.stateweave.sdk.Address;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The binary form of the API's values inside the runtime's serializers. Each serializer instance
 * has its own, for its {@link TypeNameCodec}: not thread-safe.
 */
final class Wire {
  private final TypeNameCodec typeNames = new TypeNameCodec();

  void writeTypeName(TypeName typeName, DataOutputView out) throws IOException {
    typeNames.write(typeName, out);
  }

  TypeName readTypeName(DataInputView in) throws IOException {
    return typeNames.read(in);
  }

  /** How many type names were read without matching a name read before: for tests. */
  long slowTypeNameReads() {
    return typeNames.slowReads();
  }

  void writeTypedValue(TypedValue value, DataOutputView out) throws IOException {
    writeTypeName(value.typeName(), out);
    byte[] bytes = value.bytes();
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  TypedValue readTypedValue(DataInputView in) throws IOException {
    TypeName typeName = readTypeName(in);
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return TypedValue.ofBytes(typeName, bytes);
  }

  /** An envelope as state keeps it: target, caller (or none), payload. */
  void writeEnvelope(Envelope envelope, DataOutputView out) throws IOException {
    writeTypeName(envelope.targetType(), out);
    out.writeUTF(envelope.targetId());
    writeNullableAddress(envelope.caller(), out);
    writeTypedValue(envelope.payload(), out);
  }

  Envelope readEnvelope(DataInputView in) throws IOException {
    // the target in parts, as Envelope keeps it
    TypeName targetType = readTypeName(in);
    String targetId = in.readUTF();
    return Envelope.to(targetType, targetId, readNullableAddress(in), readTypedValue(in));
  }

  private void writeNullableAddress(Address address, DataOutputView out) throws IOException {
    out.writeBoolean(address != null);
    if (address != null) {
      writeTypeName(address.type(), out);
      out.writeUTF(address.id());
    }
  }

  private Address readNullableAddress(DataInputView in) throws IOException {
    return in.readBoolean() ? new Address(readTypeName(in), in.readUTF()) : null;
  }

  void writeNullableString(String value, DataOutputView out) throws IOException {
    out.writeBoolean(value != null);
    if (value != null) {
      out.writeUTF(value);
    }
  }

  String readNullableString(DataInputView in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }
}
