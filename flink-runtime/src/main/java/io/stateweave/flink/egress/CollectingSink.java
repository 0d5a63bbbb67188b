package io.stateweave.flink.egress;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The collecting egress: an exactly-once sink for tests. Writers batch the records of each
 * checkpoint; Flink keeps the batches in the committer's state and commits them once the checkpoint
 * completed, so a record becomes visible in {@link CollectedEgress} exactly when its checkpoint is
 * durable.
 */
final class CollectingSink implements Sink<TypedValue>, SupportsCommitter<CollectedBatch> {
  private static final long serialVersionUID = 1L;

  // Type names are not serializable: the sink travels with the job graph as a plain string.
  private final String egress;

  CollectingSink(TypeName egress) {
    this.egress = Objects.requireNonNull(egress, "egress").canonical();
  }

  @Override
  public CommittingSinkWriter<TypedValue, CollectedBatch> createWriter(WriterInitContext context) {
    return new CollectingWriter();
  }

  @Override
  public Committer<CollectedBatch> createCommitter(CommitterInitContext context) {
    return new CollectingCommitter(TypeName.parse(egress));
  }

  @Override
  public SimpleVersionedSerializer<CollectedBatch> getCommittableSerializer() {
    return CollectedBatchSerializer.INSTANCE;
  }
}
