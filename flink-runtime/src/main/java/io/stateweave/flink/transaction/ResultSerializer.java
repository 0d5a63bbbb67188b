package io.stateweave.flink.transaction;

import io.stateweave.flink.message.RecordSerializer;
import io.stateweave.sdk.entity.TransactionResult;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Results in Flink's records and state, in the form clients read them. Public because Flink
 * instantiates its snapshot reflectively.
 */
public final class ResultSerializer extends RecordSerializer<TransactionResult> {
  private static final long serialVersionUID = 1L;

  @Override
  public ResultSerializer duplicate() {
    return this;
  }

  @Override
  public void serialize(TransactionResult record, DataOutputView target) throws IOException {
    record.write(target);
  }

  @Override
  public TransactionResult deserialize(DataInputView source) throws IOException {
    return TransactionResult.read(source);
  }

  @Override
  public TypeSerializerSnapshot<TransactionResult> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores the serializer; public for Flink's reflective instantiation. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<TransactionResult> {
    public Snapshot() {
      super(ResultSerializer::new);
    }
  }
}
