package io.stateweave.flink.processor;

import io.stateweave.flink.message.RecordSerializer;
import io.stateweave.flink.message.SerializerTypeInfo;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Serializes processor records on the network; public for Flink's reflective restore. */
public final class ProcessorRecordSerializer extends RecordSerializer<ProcessorRecord> {
  private static final long serialVersionUID = 1L;

  static final TypeInformation<ProcessorRecord> TYPE_INFO =
      new SerializerTypeInfo<>(ProcessorRecord.class, ProcessorRecordSerializer::new);

  // Keys and values up to this length are read byte by byte: a network buffer's bulk read costs
  // more than that in its fixed part (checks and an unsafe copy), and most keys are shorter.
  private static final int BYTE_BY_BYTE = 32;

  @Override
  public ProcessorRecordSerializer duplicate() {
    return this;
  }

  @Override
  public void serialize(ProcessorRecord record, DataOutputView target) throws IOException {
    target.writeInt(record.channel());
    target.writeInt(record.key().length);
    target.write(record.key());
    target.writeInt(record.value().length);
    target.write(record.value());
  }

  @Override
  public ProcessorRecord deserialize(DataInputView source) throws IOException {
    int channel = source.readInt();
    byte[] key = read(source);
    return new ProcessorRecord(channel, key, read(source));
  }

  private static byte[] read(DataInputView source) throws IOException {
    int length = source.readInt();
    if (length == 0) {
      return ProcessorRecord.NONE;
    }
    byte[] bytes = new byte[length];
    if (length <= BYTE_BY_BYTE) {
      for (int i = 0; i < length; i++) {
        bytes[i] = source.readByte();
      }
    } else {
      source.readFully(bytes);
    }
    return bytes;
  }

  @Override
  public TypeSerializerSnapshot<ProcessorRecord> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores the serializer; public for Flink's reflective instantiation. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<ProcessorRecord> {
    public Snapshot() {
      super(ProcessorRecordSerializer::new);
    }
  }
}
