package io.stateweave.flink.egress;

import io.stateweave.flink.module.CollectingEgressSpec;
import io.stateweave.flink.module.EgressSpec;
import io.stateweave.flink.module.KafkaEgressSpec;
import io.stateweave.flink.module.StdoutEgressSpec;
import io.stateweave.sdk.TypedValue;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Attaches the sink of a built-in egress to the stream of its records. The sink's uid is {@code
 * egress-<id>} so that savepoints (the collecting sink's pending commits) map to it when the job
 * graph is rebuilt from the module.
 */
public final class EgressBinder {
  private EgressBinder() {}

  /**
   * A Kafka egress's sink for records other than typed values, such as processors' outputs, with
   * the writer that makes Kafka records of them.
   */
  public static <T> Sink<T> kafkaSink(
      KafkaEgressSpec spec, KafkaRecordSerializationSchema<T> writer) {
    return KafkaEgress.sink(Objects.requireNonNull(spec, "spec"), writer);
  }

  /** Adds the egress's sink; an egress kind without a built-in sink is rejected. */
  public static void bind(DataStream<TypedValue> records, EgressSpec spec) {
    Objects.requireNonNull(records, "records");
    Objects.requireNonNull(spec, "spec");
    Sink<TypedValue> sink;
    String kind;
    if (spec instanceof StdoutEgressSpec) {
      sink = new StdoutSink();
      kind = "stdout";
    } else if (spec instanceof CollectingEgressSpec) {
      sink = new CollectingSink(spec.id());
      kind = "collecting";
    } else if (spec instanceof KafkaEgressSpec kafka) {
      sink = KafkaEgress.sink(kafka);
      kind = "kafka";
    } else {
      throw new IllegalArgumentException(
          "no sink for egress " + spec.id() + " of type " + spec.getClass().getName());
    }
    records
        .sinkTo(sink)
        .name("egress " + spec.id() + " (" + kind + ")")
        .uid("egress-" + spec.id().canonical());
  }
}
