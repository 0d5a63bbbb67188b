package io.stateweave.flink.ingress;

import io.stateweave.flink.message.IngressRecordSerializer;
import io.stateweave.flink.module.FileIngressSpec;
import io.stateweave.flink.module.GeneratorIngressSpec;
import io.stateweave.flink.module.IngressSpec;
import io.stateweave.flink.module.KafkaIngressSpec;
import java.util.Objects;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Adds the source of a built-in ingress to a job. Every operator gets a uid derived from the
 * ingress id ({@code ingress-<id>}, {@code ingress-<id>-lines}) so that savepoints map to the same
 * operators when the job graph is rebuilt from the module.
 */
public final class IngressBinder {
  private IngressBinder() {}

  /**
   * Where a Kafka source reading a module's topics starts, as the Kafka ingress's {@code
   * startupPosition} says; {@code reset} where it has no offset for a partition.
   */
  public static OffsetsInitializer kafkaStartingOffsets(
      KafkaIngressSpec.StartupPosition position, OffsetResetStrategy reset) {
    return KafkaIngress.startingOffsets(Objects.requireNonNull(position, "position"), reset);
  }

  /** The stream of the ingress's records; an ingress kind without a built-in source is rejected. */
  public static DataStream<IngressRecord> bind(StreamExecutionEnvironment env, IngressSpec spec) {
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(spec, "spec");
    if (spec instanceof GeneratorIngressSpec generator) {
      return generator(env, generator);
    }
    if (spec instanceof FileIngressSpec file) {
      return file(env, file);
    }
    if (spec instanceof KafkaIngressSpec kafka) {
      return KafkaIngress.bind(env, kafka);
    }
    throw new IllegalArgumentException(
        "no source for ingress " + spec.id() + " of type " + spec.getClass().getName());
  }

  private static DataStream<IngressRecord> generator(
      StreamExecutionEnvironment env, GeneratorIngressSpec spec) {
    long count = spec.count() == -1 ? Long.MAX_VALUE : spec.count();
    DataGeneratorSource<IngressRecord> source =
        new DataGeneratorSource<>(
            new GeneratedRecords(spec),
            count,
            // perSecond divides the rate among the subtasks: the total stays ratePerSecond
            spec.unlimitedRate()
                ? RateLimiterStrategy.noOp()
                : RateLimiterStrategy.perSecond(spec.ratePerSecond()),
            IngressRecordSerializer.TYPE_INFO);
    return env.fromSource(
            source,
            WatermarkStrategy.noWatermarks(),
            "ingress " + spec.id() + " (generator)",
            IngressRecordSerializer.TYPE_INFO)
        .uid(uid(spec))
        // The sequence numbers 0..count-1 are cut into one contiguous range per subtask, each
        // emitted once and in turn by the subtask that takes it (one that is done early takes
        // another not yet taken): only parallelism 1 keeps the records in one order.
        .setParallelism(spec.parallelism());
  }

  private static DataStream<IngressRecord> file(
      StreamExecutionEnvironment env, FileIngressSpec spec) {
    if (spec.path() == null || spec.path().isBlank()) {
      throw new IllegalArgumentException("file ingress " + spec.id() + " needs a path");
    }
    FileSource<String> source =
        FileSource.forRecordStreamFormat(new TextLineInputFormat(), new Path(spec.path())).build();
    return env.fromSource(
            source,
            WatermarkStrategy.noWatermarks(),
            "ingress " + spec.id() + " (file " + spec.path() + ")")
        .uid(uid(spec))
        .flatMap(new FileLines(spec), IngressRecordSerializer.TYPE_INFO)
        .name("ingress " + spec.id() + " lines")
        .uid(uid(spec) + "-lines");
  }

  private static String uid(IngressSpec spec) {
    return "ingress-" + spec.id().canonical();
  }
}
