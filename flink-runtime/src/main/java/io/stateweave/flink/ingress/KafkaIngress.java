package io.stateweave.flink.ingress;

import io.stateweave.flink.message.IngressRecordSerializer;
import io.stateweave.flink.module.KafkaIngressSpec;
import io.stateweave.flink.module.KafkaIngressSpec.StartupPosition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;

/**
 * A Kafka ingress on Flink's {@code KafkaSource}: offsets are part of Flink's checkpoints (and
 * committed to the group on completed checkpoints), so records are read exactly once per
 * checkpointed state.
 */
final class KafkaIngress {
  private KafkaIngress() {}

  static DataStream<IngressRecord> bind(StreamExecutionEnvironment env, KafkaIngressSpec spec) {
    Properties properties = new Properties();
    properties.putAll(spec.properties());
    List<String> topics =
        spec.topics().stream().map(KafkaIngressSpec.Topic::topic).collect(Collectors.toList());
    KafkaSource<IngressRecord> source =
        KafkaSource.<IngressRecord>builder()
            .setProperties(properties)
            // the spec's named settings win over the same keys in properties, as in StateFun
            .setBootstrapServers(spec.address())
            .setGroupId(spec.consumerGroupId())
            .setTopics(topics)
            .setStartingOffsets(startingOffsets(spec))
            .setDeserializer(new KafkaRecordReader(spec))
            .build();
    return env.fromSource(
            source,
            WatermarkStrategy.noWatermarks(),
            "ingress " + spec.id() + " (kafka " + String.join(",", topics) + ")",
            IngressRecordSerializer.TYPE_INFO)
        .uid("ingress-" + spec.id().canonical());
  }

  private static OffsetsInitializer startingOffsets(KafkaIngressSpec spec) {
    OffsetResetStrategy reset =
        spec.autoOffsetResetPosition() == KafkaIngressSpec.AutoOffsetReset.EARLIEST
            ? OffsetResetStrategy.EARLIEST
            : OffsetResetStrategy.LATEST;
    return startingOffsets(spec.startupPosition(), reset);
  }

  /**
   * Where a Kafka source of the module starts: {@code reset} where the position has no offset for
   * a partition (specific offsets, a new consumer group).
   */
  static OffsetsInitializer startingOffsets(StartupPosition position, OffsetResetStrategy reset) {
    switch (position.type()) {
      case EARLIEST:
        return OffsetsInitializer.earliest();
      case LATEST:
        return OffsetsInitializer.latest();
      case SPECIFIC_OFFSETS:
        Map<TopicPartition, Long> offsets = new HashMap<>();
        position
            .offsets()
            .forEach(
                (partition, offset) -> {
                  int slash = partition.lastIndexOf('/');
                  offsets.put(
                      new TopicPartition(
                          partition.substring(0, slash),
                          Integer.parseInt(partition.substring(slash + 1))),
                      offset);
                });
        return OffsetsInitializer.offsets(offsets, reset);
      case DATE:
        return OffsetsInitializer.timestamp(position.epochMillis());
      case GROUP_OFFSETS:
      default:
        return OffsetsInitializer.committedOffsets(reset);
    }
  }
}
