package io.stateweave.bench;

import io.stateweave.sdk.TypedValue;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/** An egress that only counts its records in the {@link Probe}. */
final class CountingSink implements Sink<TypedValue> {
  private static final long serialVersionUID = 1L;

  @Override
  public SinkWriter<TypedValue> createWriter(WriterInitContext context) {
    return new SinkWriter<>() {
      @Override
      public void write(TypedValue element, Context context) {
        Probe.egressed();
      }

      @Override
      public void flush(boolean endOfInput) {}

      @Override
      public void close() {}
    };
  }
}
