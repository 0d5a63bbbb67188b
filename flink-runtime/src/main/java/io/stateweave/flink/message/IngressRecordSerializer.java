package io.stateweave.flink.message;

import io.stateweave.flink.ingress.IngressRecord;
import io.stateweave.sdk.TypeName;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Serializes ingress records between a source and the router. */
public final class IngressRecordSerializer extends RecordSerializer<IngressRecord> {
  private static final long serialVersionUID = 1L;
  public static final IngressRecordSerializer INSTANCE = new IngressRecordSerializer();
  public static final TypeInformation<IngressRecord> TYPE_INFO =
      new SerializerTypeInfo<>(IngressRecord.class, () -> INSTANCE);

  @Override
  public void serialize(IngressRecord record, DataOutputView target) throws IOException {
    Wire.writeTypeName(record.ingress(), target);
    Wire.writeNullableString(record.id(), target);
    Wire.writeTypedValue(record.value(), target);
  }

  @Override
  public IngressRecord deserialize(DataInputView source) throws IOException {
    TypeName ingress = Wire.readTypeName(source);
    return new IngressRecord(ingress, Wire.readNullableString(source), Wire.readTypedValue(source));
  }

  @Override
  public TypeSerializerSnapshot<IngressRecord> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores the serializer; public for Flink's reflective instantiation. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<IngressRecord> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
