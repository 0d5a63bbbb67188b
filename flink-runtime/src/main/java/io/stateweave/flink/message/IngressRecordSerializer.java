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
  public static final TypeInformation<IngressRecord> TYPE_INFO =
      new SerializerTypeInfo<>(IngressRecord.class, IngressRecordSerializer::new);

  private final transient Wire wire = new Wire();

  @Override
  public IngressRecordSerializer duplicate() {
    return new IngressRecordSerializer();
  }

  @Override
  public void serialize(IngressRecord record, DataOutputView target) throws IOException {
    wire.writeTypeName(record.ingress(), target);
    wire.writeNullableString(record.id(), target);
    wire.writeTypedValue(record.value(), target);
  }

  @Override
  public IngressRecord deserialize(DataInputView source) throws IOException {
    TypeName ingress = wire.readTypeName(source);
    return new IngressRecord(ingress, wire.readNullableString(source), wire.readTypedValue(source));
  }

  @Override
  public TypeSerializerSnapshot<IngressRecord> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores the serializer; public for Flink's reflective instantiation. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<IngressRecord> {
    public Snapshot() {
      super(IngressRecordSerializer::new);
    }
  }
}
