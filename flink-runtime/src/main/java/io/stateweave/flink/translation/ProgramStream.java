package io.stateweave.flink.translation;

import io.stateweave.flink.message.Envelope;
import java.util.Objects;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * A stream of the user's program that enters the functions: each element becomes one message,
 * routed by {@code toEnvelope}, at the stream's own parallelism (chained to it, so that one
 * partition's elements keep their order on the way to a function).
 */
public record ProgramStream<T>(String name, DataStream<T> stream, MapFunction<T, Envelope> toEnvelope) {
  public ProgramStream {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(toEnvelope, "toEnvelope");
  }
}
