package io.stateweave.sdk.processor;

import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A Kafka topic a task reads. Offsets are part of the task's checkpoints; {@code startupPosition}
 * applies only to a start without one.
 *
 * @param outOfOrderness how far behind the largest record timestamp read the input's watermark
 *     stays: records later than that are still processed, but after the watermark passed them
 * @param idleTimeout null, or how long the input may read nothing before its watermark stops
 *     holding the task's back (an idle input otherwise stops event time for every input)
 * @param properties Kafka consumer settings
 */
public record KafkaInput(
    String servers,
    String topic,
    String groupId,
    StartupPosition startupPosition,
    Duration outOfOrderness,
    Duration idleTimeout,
    Map<String, String> properties)
    implements Serializable {

  public KafkaInput {
    Objects.requireNonNull(startupPosition, "startupPosition");
    Objects.requireNonNull(outOfOrderness, "outOfOrderness");
    properties = Map.copyOf(properties);
  }

  /** Starts at the group's offsets, no out-of-orderness, never idle. */
  public static KafkaInput of(String servers, String topic, String groupId) {
    return new KafkaInput(
        servers, topic, groupId, StartupPosition.groupOffsets(), Duration.ZERO, null, Map.of());
  }

  public KafkaInput startingAt(StartupPosition position) {
    return new KafkaInput(
        servers, topic, groupId, position, outOfOrderness, idleTimeout, properties);
  }

  public KafkaInput withOutOfOrderness(Duration duration) {
    return new KafkaInput(
        servers, topic, groupId, startupPosition, duration, idleTimeout, properties);
  }

  public KafkaInput withIdleTimeout(Duration timeout) {
    return new KafkaInput(
        servers, topic, groupId, startupPosition, outOfOrderness, timeout, properties);
  }

  public KafkaInput withProperty(String key, String value) {
    Map<String, String> more = new LinkedHashMap<>(properties);
    more.put(key, value);
    return new KafkaInput(
        servers, topic, groupId, startupPosition, outOfOrderness, idleTimeout, more);
  }
}
