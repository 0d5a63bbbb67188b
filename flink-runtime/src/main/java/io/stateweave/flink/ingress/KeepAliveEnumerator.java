package io.stateweave.flink.ingress;

import java.util.List;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;

/**
 * Assigns nothing and, on purpose, never signals "no more splits": that signal is what would let
 * the readers finish.
 */
final class KeepAliveEnumerator implements SplitEnumerator<SourceSplit, Void> {

  @Override
  public void start() {}

  @Override
  public void handleSplitRequest(int subtaskId, String requesterHostname) {}

  @Override
  public void addSplitsBack(List<SourceSplit> splits, int subtaskId) {}

  @Override
  public void addReader(int subtaskId) {}

  @Override
  public Void snapshotState(long checkpointId) {
    return null;
  }

  @Override
  public void close() {}
}
