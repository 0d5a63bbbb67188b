package io.stateweave.flink.message;

import io.stateweave.sdk.TypeName;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Serializes envelopes on the network, in the feedback log and in delayed-message state. */
public final class EnvelopeSerializer extends RecordSerializer<Envelope> {
  private static final long serialVersionUID = 1L;
  public static final EnvelopeSerializer INSTANCE = new EnvelopeSerializer();
  public static final TypeInformation<Envelope> TYPE_INFO =
      new SerializerTypeInfo<>(Envelope.class, () -> INSTANCE);

  @Override
  public void serialize(Envelope record, DataOutputView target) throws IOException {
    Wire.writeAddress(record.targetType(), record.targetId(), target);
    Wire.writeNullableAddress(record.caller(), target);
    Wire.writeTypedValue(record.payload(), target);
  }

  @Override
  public Envelope deserialize(DataInputView source) throws IOException {
    // the target as Wire.readAddress reads it, kept in parts: see Envelope
    TypeName targetType = Wire.readTypeName(source);
    String targetId = source.readUTF();
    return Envelope.to(
        targetType, targetId, Wire.readNullableAddress(source), Wire.readTypedValue(source));
  }

  @Override
  public TypeSerializerSnapshot<Envelope> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores the serializer; public for Flink's reflective instantiation. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<Envelope> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
