package io.stateweave.flink.processor;

import io.stateweave.flink.message.SerializerTypeInfo;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Serializes processor records on the network; public for Flink's reflective restore. */
public final class ProcessorRecordSerializer extends TypeSerializerSingleton<ProcessorRecord> {
  private static final long serialVersionUID = 1L;

  static final TypeInformation<ProcessorRecord> TYPE_INFO =
      new SerializerTypeInfo<>(ProcessorRecord.class, ProcessorRecordSerializer::new);

  @Override
  public boolean isImmutableType() {
    return true;
  }

  @Override
  public ProcessorRecord createInstance() {
    return null;
  }

  @Override
  public ProcessorRecord copy(ProcessorRecord from) {
    return from;
  }

  @Override
  public ProcessorRecord copy(ProcessorRecord from, ProcessorRecord reuse) {
    return from;
  }

  @Override
  public int getLength() {
    return -1;
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
    source.readFully(bytes);
    return bytes;
  }

  @Override
  public ProcessorRecord deserialize(ProcessorRecord reuse, DataInputView source)
      throws IOException {
    return deserialize(source);
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    serialize(deserialize(source), target);
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
