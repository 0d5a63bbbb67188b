package io.stateweave.flink.ingress;

import io.stateweave.flink.message.IngressRecordSerializer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A source that never emits and never finishes.
 *
 * <p>The runtime unions it into the ingress streams so that the input of the function dispatcher
 * never ends when the bounded ingresses (files, generators with a count) finish: once every input
 * of the dispatcher ended, Flink would finish the dispatcher and with it the feedback loop, while
 * functions may still be exchanging messages or waiting for delayed ones.
 *
 * <p>It has no splits and no state, so it runs at any parallelism and restores from any checkpoint
 * or savepoint, also after rescaling.
 *
 * <p>It names its record type itself: without it, Flink cannot infer the type of the source's
 * stream and falls back to Kryo, which fails jobs that switch generic types off.
 */
public final class KeepAliveSource
    implements Source<IngressRecord, SourceSplit, Void>, ResultTypeQueryable<IngressRecord> {
  private static final long serialVersionUID = 1L;

  @Override
  public TypeInformation<IngressRecord> getProducedType() {
    return IngressRecordSerializer.TYPE_INFO;
  }

  @Override
  public Boundedness getBoundedness() {
    return Boundedness.CONTINUOUS_UNBOUNDED;
  }

  @Override
  public SourceReader<IngressRecord, SourceSplit> createReader(SourceReaderContext readerContext) {
    return new KeepAliveReader();
  }

  @Override
  public SplitEnumerator<SourceSplit, Void> createEnumerator(
      SplitEnumeratorContext<SourceSplit> enumContext) {
    return new KeepAliveEnumerator();
  }

  @Override
  public SplitEnumerator<SourceSplit, Void> restoreEnumerator(
      SplitEnumeratorContext<SourceSplit> enumContext, Void checkpoint) {
    return new KeepAliveEnumerator();
  }

  @Override
  public SimpleVersionedSerializer<SourceSplit> getSplitSerializer() {
    return NoSplits.INSTANCE;
  }

  @Override
  public SimpleVersionedSerializer<Void> getEnumeratorCheckpointSerializer() {
    return NoCheckpoint.INSTANCE;
  }

  /** The enumerator creates no splits, so Flink never has one to serialize. */
  private enum NoSplits implements SimpleVersionedSerializer<SourceSplit> {
    INSTANCE;

    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(SourceSplit split) {
      throw new IllegalStateException("the keep-alive source has no splits, got " + split);
    }

    @Override
    public SourceSplit deserialize(int version, byte[] serialized) {
      throw new IllegalStateException("the keep-alive source has no splits to restore");
    }
  }

  /** The enumerator's checkpoint is empty. */
  private enum NoCheckpoint implements SimpleVersionedSerializer<Void> {
    INSTANCE;

    private static final byte[] EMPTY = new byte[0];

    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(Void checkpoint) {
      return EMPTY;
    }

    @Override
    public Void deserialize(int version, byte[] serialized) {
      return null;
    }
  }
}
