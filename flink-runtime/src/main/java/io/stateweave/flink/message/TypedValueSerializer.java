package io.stateweave.flink.message;

import io.stateweave.sdk.TypedValue;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Serializes egress records: a type name and the value's bytes. */
public final class TypedValueSerializer extends RecordSerializer<TypedValue> {
  private static final long serialVersionUID = 1L;
  public static final TypeInformation<TypedValue> TYPE_INFO =
      new SerializerTypeInfo<>(TypedValue.class, TypedValueSerializer::new);

  private final transient Wire wire = new Wire();

  @Override
  public TypedValueSerializer duplicate() {
    return new TypedValueSerializer();
  }

  @Override
  public void serialize(TypedValue record, DataOutputView target) throws IOException {
    wire.writeTypedValue(record, target);
  }

  @Override
  public TypedValue deserialize(DataInputView source) throws IOException {
    return wire.readTypedValue(source);
  }

  @Override
  public TypeSerializerSnapshot<TypedValue> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores the serializer; public for Flink's reflective instantiation. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<TypedValue> {
    public Snapshot() {
      super(TypedValueSerializer::new);
    }
  }
}
