package io.stateweave.flink.message;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Serializes envelopes in state: the feedback log, delayed messages, remote calls' queues. */
public final class EnvelopeSerializer extends RecordSerializer<Envelope> {
  private static final long serialVersionUID = 1L;

  private final transient Wire wire = new Wire();

  @Override
  public EnvelopeSerializer duplicate() {
    return new EnvelopeSerializer();
  }

  @Override
  public void serialize(Envelope record, DataOutputView target) throws IOException {
    wire.writeEnvelope(record, target);
  }

  @Override
  public Envelope deserialize(DataInputView source) throws IOException {
    return wire.readEnvelope(source);
  }

  @Override
  public TypeSerializerSnapshot<Envelope> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores the serializer; public for Flink's reflective instantiation. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<Envelope> {
    public Snapshot() {
      super(EnvelopeSerializer::new);
    }
  }
}
