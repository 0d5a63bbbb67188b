package io.stateweave.flink.message;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Serializes delayed messages in keyed state. */
public final class DelayedMessageSerializer extends RecordSerializer<DelayedMessage> {
  private static final long serialVersionUID = 1L;
  public static final DelayedMessageSerializer INSTANCE = new DelayedMessageSerializer();

  @Override
  public void serialize(DelayedMessage record, DataOutputView target) throws IOException {
    EnvelopeSerializer.INSTANCE.serialize(record.envelope(), target);
    Wire.writeNullableString(record.cancellationToken(), target);
  }

  @Override
  public DelayedMessage deserialize(DataInputView source) throws IOException {
    Envelope envelope = EnvelopeSerializer.INSTANCE.deserialize(source);
    return new DelayedMessage(envelope, Wire.readNullableString(source));
  }

  @Override
  public TypeSerializerSnapshot<DelayedMessage> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores the serializer; public for Flink's reflective instantiation. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<DelayedMessage> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
