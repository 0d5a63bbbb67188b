package io.stateweave.flink.egress;

import io.stateweave.sdk.TypedValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;

/**
 * Buffers the records of the current checkpoint and hands them to the committer as one batch when
 * the checkpoint is taken. The buffer needs no state of its own: after a failure the records since
 * the last checkpoint are replayed from the sources.
 */
final class CollectingWriter implements CommittingSinkWriter<TypedValue, CollectedBatch> {
  private final List<TypedValue> buffer = new ArrayList<>();

  @Override
  public void write(TypedValue record, Context context) {
    buffer.add(record);
  }

  @Override
  public void flush(boolean endOfInput) {
    // nothing to flush: prepareCommit, which Flink calls right after, hands the buffer over
  }

  @Override
  public Collection<CollectedBatch> prepareCommit() {
    if (buffer.isEmpty()) {
      return List.of();
    }
    CollectedBatch batch = new CollectedBatch(UUID.randomUUID(), buffer);
    buffer.clear();
    return List.of(batch);
  }

  @Override
  public void close() {}
}
