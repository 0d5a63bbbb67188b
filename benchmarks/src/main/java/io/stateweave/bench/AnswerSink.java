package io.stateweave.bench;

import io.stateweave.sdk.entity.TransactionResult;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * ycsbt's answers: counts each in the {@link Probe} (aborted ones also as aborts) and records its
 * latency, from the due time its request id carries to now.
 */
final class AnswerSink implements Sink<TransactionResult> {
  private static final long serialVersionUID = 1L;

  @Override
  public SinkWriter<TransactionResult> createWriter(WriterInitContext context) {
    return new SinkWriter<>() {
      @Override
      public void write(TransactionResult answer, Context context) {
        if (!answer.committed()) {
          Probe.aborted();
        }
        Probe.invoked();
        Probe.chainLatency(YcsbtGenerators.Requests.dueNanos(answer.requestId()));
      }

      @Override
      public void flush(boolean endOfInput) {}

      @Override
      public void close() {}
    };
  }
}
