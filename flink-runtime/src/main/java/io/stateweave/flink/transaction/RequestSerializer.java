package io.stateweave.flink.transaction;

import io.stateweave.flink.message.RecordSerializer;
import io.stateweave.sdk.entity.TransactionRequest;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Requests in Flink's records and state, in the form clients write them. Public because Flink
 * instantiates its snapshot reflectively.
 */
public final class RequestSerializer extends RecordSerializer<TransactionRequest> {
  private static final long serialVersionUID = 1L;

  @Override
  public RequestSerializer duplicate() {
    return this;
  }

  @Override
  public void serialize(TransactionRequest record, DataOutputView target) throws IOException {
    record.write(target);
  }

  @Override
  public TransactionRequest deserialize(DataInputView source) throws IOException {
    return TransactionRequest.read(source);
  }

  @Override
  public TypeSerializerSnapshot<TransactionRequest> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores the serializer; public for Flink's reflective instantiation. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<TransactionRequest> {
    public Snapshot() {
      super(RequestSerializer::new);
    }
  }
}
