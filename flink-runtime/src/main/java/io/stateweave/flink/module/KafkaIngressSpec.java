package io.stateweave.flink.module;

import io.stateweave.sdk.TypeName;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * {@code io.statefun.kafka.v1/ingress}, as in StateFun: records of each topic go, as values of the
 * topic's {@code valueType}, to the topic's target function types at the address whose id is the
 * record's key.
 */
public record KafkaIngressSpec(
    TypeName id,
    String address,
    String consumerGroupId,
    List<Topic> topics,
    StartupPosition startupPosition,
    AutoOffsetReset autoOffsetResetPosition,
    Map<String, String> properties)
    implements IngressSpec {

  public static final TypeName KIND = TypeName.parse("io.statefun.kafka.v1/ingress");

  public KafkaIngressSpec {
    topics = List.copyOf(topics);
    properties = Map.copyOf(properties);
  }

  /** One subscribed topic. */
  public record Topic(String topic, TypeName valueType, List<TypeName> targets)
      implements Serializable {
    public Topic {
      targets = List.copyOf(targets);
    }
  }

  /** Where a consumer group without (usable) offsets starts. */
  public enum AutoOffsetReset {
    EARLIEST,
    LATEST
  }

  /** Where reading starts: {@code type} plus {@code offsets} or {@code epochMillis} when needed. */
  public record StartupPosition(Type type, Map<String, Long> offsets, long epochMillis)
      implements Serializable {
    public enum Type {
      GROUP_OFFSETS,
      EARLIEST,
      LATEST,
      SPECIFIC_OFFSETS,
      DATE
    }

    public StartupPosition {
      offsets = Map.copyOf(offsets);
    }

    public static StartupPosition of(Type type) {
      return new StartupPosition(type, Map.of(), 0);
    }
  }

  /** Every topic's targets. */
  @Override
  public List<TypeName> targets() {
    LinkedHashSet<TypeName> targets = new LinkedHashSet<>();
    topics.forEach(topic -> targets.addAll(topic.targets()));
    return new ArrayList<>(targets);
  }

  /** Records of a topic are routed under {@code <ingress id>/<topic>}; Kafka topics have no '/'. */
  public TypeName route(String topic) {
    return TypeName.parse(id.canonical() + "/" + topic);
  }

  @Override
  public Map<TypeName, List<TypeName>> routes() {
    Map<TypeName, List<TypeName>> routes = new LinkedHashMap<>();
    topics.forEach(topic -> routes.put(route(topic.topic()), topic.targets()));
    return routes;
  }
}
