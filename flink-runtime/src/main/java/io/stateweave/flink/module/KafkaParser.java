package io.stateweave.flink.module;

import io.stateweave.sdk.TypeName;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads StateFun's Kafka ingress and egress documents. */
final class KafkaParser {
  private KafkaParser() {}

  private static final Pattern PARTITION = Pattern.compile("(.+)/(\\d+)");

  /** StateFun's date format, e.g. {@code 2020-02-01 04:15:00.00 Z}. */
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SS[S][ ]X", Locale.ROOT);

  private static final List<String> INGRESS_KEYS =
      List.of(
          "address",
          "consumerGroupId",
          "topics",
          "startupPosition",
          "autoOffsetResetPosition",
          "properties");
  private static final List<String> EGRESS_KEYS =
      List.of("address", "deliverySemantic", "properties", "defaultTopic");

  static KafkaIngressSpec ingress(Field spec) {
    List<String> keys = new ArrayList<>(List.of("id"));
    keys.addAll(INGRESS_KEYS);
    spec.mapping("a mapping", keys);
    return ingress(spec.get("id"), spec, "valueType");
  }

  /**
   * The ingress of StateFun's older module formats, whose id is in the component's {@code meta} and
   * whose topics name their value type {@code typeUrl} (2.x) or {@code valueType} (3.0).
   */
  static KafkaIngressSpec legacyIngress(Field id, Field spec, String valueTypeKey) {
    spec.mapping("a mapping", INGRESS_KEYS);
    return ingress(id, spec, valueTypeKey);
  }

  private static KafkaIngressSpec ingress(Field id, Field spec, String valueTypeKey) {
    List<KafkaIngressSpec.Topic> topics = new ArrayList<>();
    for (Field topic :
        spec.get("topics").list("topics with 'topic', '" + valueTypeKey + "' and 'targets'")) {
      topic.mapping("a mapping", List.of("topic", valueTypeKey, "targets"));
      String name = topic.get("topic").text("a topic name");
      if (name.contains("/")) {
        throw topic.get("topic").expected("a Kafka topic name (no '/')");
      }
      List<TypeName> targets = new ArrayList<>();
      for (Field target : topic.get("targets").list("function types")) {
        targets.add(target.typeName("a function type"));
      }
      topics.add(
          new KafkaIngressSpec.Topic(
              name, topic.get(valueTypeKey).typeName("a value type"), targets));
    }
    return new KafkaIngressSpec(
        id.typeName("an ingress id"),
        spec.get("address").text("a Kafka bootstrap address (host:port,...)"),
        spec.get("consumerGroupId").text("a consumer group id"),
        topics,
        startupPosition(spec.get("startupPosition")),
        autoOffsetReset(spec.get("autoOffsetResetPosition")),
        properties(spec.get("properties")));
  }

  static KafkaEgressSpec egress(Field spec) {
    List<String> keys = new ArrayList<>(List.of("id"));
    keys.addAll(EGRESS_KEYS);
    spec.mapping("a mapping", keys);
    return egress(spec.get("id"), spec);
  }

  /** The egress of StateFun's older module formats, whose id is in the component's {@code meta}. */
  static KafkaEgressSpec legacyEgress(Field id, Field spec) {
    spec.mapping("a mapping", EGRESS_KEYS);
    return egress(id, spec);
  }

  private static KafkaEgressSpec egress(Field id, Field spec) {
    KafkaEgressSpec.DeliverySemantic semantic = KafkaEgressSpec.DeliverySemantic.AT_LEAST_ONCE;
    Duration timeout = KafkaEgressSpec.DEFAULT_TRANSACTION_TIMEOUT;
    Field delivery = spec.get("deliverySemantic");
    if (delivery.isPresent()) {
      delivery.mapping(
          "a mapping with 'type'",
          List.of("type", "transactionTimeout", "transactionTimeoutMillis"));
      Field type = delivery.get("type");
      switch (type.text("one of [exactly-once, at-least-once, none]")) {
        case "exactly-once":
          semantic = KafkaEgressSpec.DeliverySemantic.EXACTLY_ONCE;
          break;
        case "at-least-once":
          semantic = KafkaEgressSpec.DeliverySemantic.AT_LEAST_ONCE;
          break;
        case "none":
          semantic = KafkaEgressSpec.DeliverySemantic.NONE;
          break;
        default:
          throw type.expected("one of [exactly-once, at-least-once, none]");
      }
      if (delivery.get("transactionTimeoutMillis").isPresent()) {
        // the 3.0 name, still found in upstream files
        timeout = Duration.ofMillis(delivery.get("transactionTimeoutMillis").positiveLong(0));
      } else {
        timeout = delivery.get("transactionTimeout").duration(timeout);
      }
    }
    return new KafkaEgressSpec(
        id.typeName("an egress id"),
        spec.get("address").text("a Kafka bootstrap address (host:port,...)"),
        semantic,
        timeout,
        spec.get("defaultTopic").optionalText("a topic name"),
        properties(spec.get("properties")));
  }

  static KafkaIngressSpec.StartupPosition startupPosition(Field field) {
    if (!field.isPresent()) {
      return KafkaIngressSpec.StartupPosition.of(
          KafkaIngressSpec.StartupPosition.Type.GROUP_OFFSETS);
    }
    field.mapping("a mapping with 'type'", List.of("type", "offsets", "date"));
    Field type = field.get("type");
    String expected = "one of [group-offsets, earliest, latest, specific-offsets, date]";
    switch (type.text(expected)) {
      case "group-offsets":
        return KafkaIngressSpec.StartupPosition.of(
            KafkaIngressSpec.StartupPosition.Type.GROUP_OFFSETS);
      case "earliest":
        return KafkaIngressSpec.StartupPosition.of(KafkaIngressSpec.StartupPosition.Type.EARLIEST);
      case "latest":
        return KafkaIngressSpec.StartupPosition.of(KafkaIngressSpec.StartupPosition.Type.LATEST);
      case "specific-offsets":
        return new KafkaIngressSpec.StartupPosition(
            KafkaIngressSpec.StartupPosition.Type.SPECIFIC_OFFSETS,
            offsets(field.get("offsets")),
            0);
      case "date":
        Field date = field.get("date");
        String text = date.scalarText("a date like 2020-02-01 04:15:00.00 Z");
        try {
          long millis = OffsetDateTime.parse(text, DATE).toInstant().toEpochMilli();
          return new KafkaIngressSpec.StartupPosition(
              KafkaIngressSpec.StartupPosition.Type.DATE, Map.of(), millis);
        } catch (DateTimeParseException e) {
          throw date.expected("a date like 2020-02-01 04:15:00.00 Z");
        }
      default:
        throw type.expected(expected);
    }
  }

  /** {@code offsets: [ {topic/0: 91}, {topic/1: 11} ]}, as in StateFun. */
  private static Map<String, Long> offsets(Field offsets) {
    Map<String, Long> result = new LinkedHashMap<>();
    for (Field entry : offsets.list("entries like '- topic/0: 91'")) {
      Map<String, Object> map = entry.mapping("an entry like 'topic/0: 91'").plainMap();
      if (map.size() != 1) {
        throw entry.expected("one '<topic>/<partition>: <offset>' entry");
      }
      Map.Entry<String, Object> only = map.entrySet().iterator().next();
      Matcher matcher = PARTITION.matcher(only.getKey());
      if (!matcher.matches() || !(only.getValue() instanceof Number)) {
        throw entry.expected("'<topic>/<partition>: <offset>'");
      }
      result.put(only.getKey(), ((Number) only.getValue()).longValue());
    }
    return result;
  }

  private static KafkaIngressSpec.AutoOffsetReset autoOffsetReset(Field field) {
    if (!field.isPresent()) {
      return KafkaIngressSpec.AutoOffsetReset.LATEST;
    }
    switch (field.text("one of [earliest, latest]")) {
      case "earliest":
        return KafkaIngressSpec.AutoOffsetReset.EARLIEST;
      case "latest":
        return KafkaIngressSpec.AutoOffsetReset.LATEST;
      default:
        throw field.expected("one of [earliest, latest]");
    }
  }

  /** {@code properties: [ {key: value}, ... ]} as in StateFun, or a plain mapping. */
  static Map<String, String> properties(Field field) {
    Map<String, String> result = new LinkedHashMap<>();
    if (!field.isPresent()) {
      return result;
    }
    List<Map<String, Object>> maps = new ArrayList<>();
    try {
      for (Field entry : field.list("'- key: value' entries")) {
        maps.add(entry.mapping("a 'key: value' entry").plainMap());
      }
    } catch (ModuleSpecException notAList) {
      maps.add(field.mapping("a list of '- key: value' entries, or a mapping").plainMap());
    }
    for (Map<String, Object> map : maps) {
      map.forEach((key, value) -> result.put(key, String.valueOf(value)));
    }
    return result;
  }
}
