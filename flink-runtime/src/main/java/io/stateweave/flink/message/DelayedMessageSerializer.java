package io.stateweave.flink.message;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Serializes delayed messages in keyed state: the envelope as state keeps it, then the token. */
public final class DelayedMessageSerializer extends RecordSerializer<DelayedMessage> {
  private static final long serialVersionUID = 1L;

  private final transient Wire wire = new Wire();

  @Override
  public DelayedMessageSerializer duplicate() {
    return new DelayedMessageSerializer();
  }

  @Override
  public void serialize(DelayedMessage record, DataOutputView target) throws IOException {
    wire.writeEnvelope(record.envelope(), target);
    wire.writeNullableString(record.cancellationToken(), target);
  }

  @Override
  public DelayedMessage deserialize(DataInputView source) throws IOException {
    Envelope envelope = wire.readEnvelope(source);
    return new DelayedMessage(envelope, wire.readNullableString(source));
  }

  @Override
  public TypeSerializerSnapshot<DelayedMessage> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores the serializer; public for Flink's reflective instantiation. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<DelayedMessage> {
    public Snapshot() {
      super(DelayedMessageSerializer::new);
    }
  }
}
