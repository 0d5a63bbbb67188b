package io.stateweave.flink.ingress;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.InputStatus;

/**
 * Has never anything available. The source task then only waits in its mailbox, where it still
 * takes checkpoints and gets cancelled, without polling.
 */
final class KeepAliveReader implements SourceReader<IngressRecord, SourceSplit> {
  private final CompletableFuture<Void> never = new CompletableFuture<>();
  private boolean idle;

  @Override
  public void start() {}

  @Override
  public InputStatus pollNext(ReaderOutput<IngressRecord> output) {
    if (!idle) {
      // an input that never emits must not hold back the watermarks of the ingresses it joins
      output.markIdle();
      idle = true;
    }
    return InputStatus.NOTHING_AVAILABLE;
  }

  @Override
  public List<SourceSplit> snapshotState(long checkpointId) {
    return List.of();
  }

  @Override
  public CompletableFuture<Void> isAvailable() {
    return never;
  }

  @Override
  public void addSplits(List<SourceSplit> splits) {}

  @Override
  public void notifyNoMoreSplits() {}

  @Override
  public void close() {}
}
