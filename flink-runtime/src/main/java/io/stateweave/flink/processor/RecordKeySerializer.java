package io.stateweave.flink.processor;

import io.stateweave.flink.message.RecordSerializer;
import io.stateweave.flink.message.SerializerTypeInfo;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializes record keys in {@link StringSerializer}'s format of their ISO-8859-1 text (length + 1,
 * then each char, both as 7-bit groups with a continuation bit), so that state keyed by that text
 * restores as is; public for Flink's reflective restore.
 */
public final class RecordKeySerializer extends RecordSerializer<RecordKey> {
  private static final long serialVersionUID = 1L;

  static final TypeInformation<RecordKey> TYPE_INFO =
      SerializerTypeInfo.forKeys(RecordKey.class, RecordKeySerializer::new);

  private static final int CONTINUES = 0x80;

  @Override
  public RecordKeySerializer duplicate() {
    return this;
  }

  @Override
  public void serialize(RecordKey key, DataOutputView target) throws IOException {
    byte[] bytes = key.bytes();
    writeVarInt(bytes.length + 1, target);
    for (byte b : bytes) {
      writeVarInt(b & 0xFF, target);
    }
  }

  private static void writeVarInt(int value, DataOutputView target) throws IOException {
    while (value >= CONTINUES) {
      target.write(value | CONTINUES);
      value >>>= 7;
    }
    target.write(value);
  }

  @Override
  public RecordKey deserialize(DataInputView source) throws IOException {
    int length = readVarInt(source) - 1;
    if (length < 0) {
      throw new IOException("a null record key: keys are never null");
    }
    if (length == 0) {
      return new RecordKey(ProcessorRecord.NONE);
    }
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      int c = readVarInt(source);
      if (c > 0xFF) {
        throw new IOException("a record key's char " + c + " is not ISO-8859-1");
      }
      bytes[i] = (byte) c;
    }
    return new RecordKey(bytes);
  }

  private static int readVarInt(DataInputView source) throws IOException {
    int value = 0;
    int shift = 0;
    int next;
    while ((next = source.readUnsignedByte()) >= CONTINUES) {
      value |= (next & 0x7F) << shift;
      shift += 7;
    }
    return value | next << shift;
  }

  @Override
  public TypeSerializerSnapshot<RecordKey> snapshotConfiguration() {
    return new Snapshot();
  }

  /**
   * Restores the serializer; public for Flink's reflective instantiation. State keyed by {@code
   * String} (this operator's key before record keys) is compatible as it is: same bytes, same hash.
   */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<RecordKey> {
    public Snapshot() {
      super(RecordKeySerializer::new);
    }

    @Override
    public TypeSerializerSchemaCompatibility<RecordKey> resolveSchemaCompatibility(
        TypeSerializerSnapshot<RecordKey> oldSerializerSnapshot) {
      if ((Object) oldSerializerSnapshot instanceof StringSerializer.StringSerializerSnapshot) {
        return TypeSerializerSchemaCompatibility.compatibleAsIs();
      }
      return super.resolveSchemaCompatibility(oldSerializerSnapshot);
    }
  }
}
