package io.stateweave.flink.message;

import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Serializes remote calls between the dispatcher and the HTTP client and in its checkpoints. */
public final class RemoteRequestSerializer extends RecordSerializer<RemoteRequest> {
  private static final long serialVersionUID = 1L;
  public static final RemoteRequestSerializer INSTANCE = new RemoteRequestSerializer();
  public static final TypeInformation<RemoteRequest> TYPE_INFO =
      new SerializerTypeInfo<>(RemoteRequest.class, () -> INSTANCE);

  @Override
  public void serialize(RemoteRequest record, DataOutputView target) throws IOException {
    Wire.writeAddress(record.target(), target);
    byte[] bytes = record.toFunction();
    target.writeInt(bytes.length);
    target.write(bytes);
  }

  @Override
  public RemoteRequest deserialize(DataInputView source) throws IOException {
    var address = Wire.readAddress(source);
    byte[] bytes = new byte[source.readInt()];
    source.readFully(bytes);
    return new RemoteRequest(address, bytes);
  }

  @Override
  public TypeSerializerSnapshot<RemoteRequest> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores the serializer; public for Flink's reflective instantiation. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<RemoteRequest> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
