package io.stateweave.flink.egress;

import io.stateweave.sdk.TypeName;
import java.util.Collection;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Committer;

/** Publishes the batches of a completed checkpoint into the JVM-wide {@link CollectedEgress}. */
final class CollectingCommitter implements Committer<CollectedBatch> {
  private final TypeName egress;

  CollectingCommitter(TypeName egress) {
    this.egress = Objects.requireNonNull(egress, "egress");
  }

  @Override
  public void commit(Collection<CommitRequest<CollectedBatch>> requests) {
    for (CommitRequest<CollectedBatch> request : requests) {
      if (!CollectedEgress.publish(egress, request.getCommittable())) {
        request.signalAlreadyCommitted();
      }
    }
  }

  @Override
  public void close() {}
}
