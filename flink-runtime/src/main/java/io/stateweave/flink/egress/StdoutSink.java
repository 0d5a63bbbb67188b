package io.stateweave.flink.egress;

import io.stateweave.sdk.TypedValue;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/** The stdout egress: one line per record on the stdout of the TaskManager that writes it. */
final class StdoutSink implements Sink<TypedValue> {
  private static final long serialVersionUID = 1L;

  @Override
  public SinkWriter<TypedValue> createWriter(WriterInitContext context) {
    // System.out is read when the writer starts, so a test that redirects it before the job sees it
    return new StdoutWriter(System.out);
  }
}
