package io.stateweave.flink.module;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.processor.KafkaInput;
import io.stateweave.sdk.processor.KafkaOutput;
import io.stateweave.sdk.processor.Processor;
import io.stateweave.sdk.processor.StartupPosition;
import io.stateweave.sdk.processor.TaskConfig;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads {@code io.stateweave.processor.v1/task}, a processor task as {@code TaskConfig} builds it,
 * checking each field here so that a mistake names it rather than the builder's setting.
 */
final class ProcessorTaskParser {
  private ProcessorTaskParser() {}

  static final TypeName KIND = TypeName.parse("io.stateweave.processor.v1/task");

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final List<String> KEYS =
      List.of(
          "name", "class", "initConfig", "inputs", "inputGroups", "outputs", "heartbeatInterval");
  private static final List<String> INPUT_KEYS =
      List.of(
          "servers",
          "topic",
          "groupId",
          "startupPosition",
          "outOfOrderness",
          "idleTimeout",
          "properties");
  private static final List<String> OUTPUT_KEYS =
      List.of("servers", "topic", "partition", "transactionTimeout", "properties");
  private static final String POSITIONS = "one of [group-offsets, earliest, latest, timestamp]";

  static TaskConfig parse(Field spec) {
    spec.mapping("a mapping", KEYS);
    Field nameField = spec.get("name");
    String name = nameField.text("a task name");
    if (!NAME.matcher(name).matches()) {
      throw nameField.expected(
          "a task name of letters, digits, '.', '_' and '-', starting with a letter or digit");
    }
    TaskConfig.Builder task = TaskConfig.builder().name(name);
    task.processor(processorClass(spec.get("class")));
    Field initConfig = spec.get("initConfig");
    if (initConfig.isPresent()) {
      Map<String, Object> config = initConfig.mapping("a mapping of settings").plainMap();
      config.forEach(
          (key, value) -> {
            if (value == null || value instanceof Map || value instanceof List) {
              throw initConfig.get(key).expected("a text, number or boolean");
            }
            task.initConfig(key, String.valueOf(value));
          });
    }
    boolean single = spec.get("inputs").isPresent();
    if (single == spec.get("inputGroups").isPresent()) {
      throw spec.error(
          "expected either 'inputs' (one input group) or 'inputGroups' (a list of"
              + " '- inputs: [...]'), got "
              + (single ? "both" : "neither"));
    }
    if (single) {
      task.inputGroup(inputs(spec.get("inputs")));
    } else {
      for (Field group : spec.get("inputGroups").list("input groups '- inputs: [...]'")) {
        group.mapping("a mapping with 'inputs'", List.of("inputs"));
        task.inputGroup(inputs(group.get("inputs")));
      }
    }
    for (Field output : spec.get("outputs").optionalList("Kafka outputs")) {
      task.output(output(output));
    }
    task.heartbeatInterval(
        spec.get("heartbeatInterval").duration(TaskConfig.DEFAULT_HEARTBEAT_INTERVAL));
    try {
      return task.build();
    } catch (IllegalArgumentException e) {
      // every field was checked above; this is a rule only the builder knows
      throw spec.error(e.getMessage());
    }
  }

  private static String processorClass(Field field) {
    String name = field.text("a Processor class name");
    Class<?> type;
    try {
      type = Class.forName(name, false, Thread.currentThread().getContextClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw field.expected("a Processor class on the classpath");
    }
    if (!Processor.class.isAssignableFrom(type)) {
      throw field.expected("a class implementing " + Processor.class.getName());
    }
    try {
      type.getConstructor();
    } catch (NoSuchMethodException e) {
      throw field.expected("a Processor class with a public no-arg constructor");
    }
    if (!Modifier.isPublic(type.getModifiers())) {
      throw field.expected("a public Processor class");
    }
    return name;
  }

  private static List<KafkaInput> inputs(Field inputs) {
    List<KafkaInput> result = new ArrayList<>();
    for (Field input : inputs.list("Kafka inputs with 'servers', 'topic' and 'groupId'")) {
      input.mapping("a mapping", INPUT_KEYS);
      KafkaInput kafka =
          KafkaInput.of(
                  input.get("servers").text("Kafka bootstrap servers (host:port,...)"),
                  input.get("topic").text("a topic name"),
                  input.get("groupId").text("a consumer group id"))
              .startingAt(startupPosition(input.get("startupPosition")))
              .withOutOfOrderness(input.get("outOfOrderness").duration(Duration.ZERO, true));
      Field idle = input.get("idleTimeout");
      if (idle.isPresent()) {
        kafka = kafka.withIdleTimeout(idle.duration(null));
      }
      for (Map.Entry<String, String> property : properties(input.get("properties")).entrySet()) {
        kafka = kafka.withProperty(property.getKey(), property.getValue());
      }
      result.add(kafka);
    }
    return result;
  }

  private static KafkaOutput output(Field output) {
    output.mapping("a mapping", OUTPUT_KEYS);
    KafkaOutput kafka =
        KafkaOutput.of(
                output.get("servers").text("Kafka bootstrap servers (host:port,...)"),
                output.get("topic").text("a topic name"))
            .withTransactionTimeout(
                output
                    .get("transactionTimeout")
                    .duration(KafkaOutput.DEFAULT_TRANSACTION_TIMEOUT));
    Field partition = output.get("partition");
    if (partition.isPresent()) {
      if (!partition.isNonNegativeInt()) {
        throw partition.expected("a partition number >= 0");
      }
      kafka = kafka.toPartition(partition.intValue());
    }
    for (Map.Entry<String, String> property : properties(output.get("properties")).entrySet()) {
      kafka = kafka.withProperty(property.getKey(), property.getValue());
    }
    return kafka;
  }

  private static StartupPosition startupPosition(Field field) {
    if (!field.isPresent()) {
      return StartupPosition.groupOffsets();
    }
    field.mapping("a mapping with 'type'", List.of("type", "timestamp"));
    Field type = field.get("type");
    switch (type.text(POSITIONS)) {
      case "group-offsets":
        return StartupPosition.groupOffsets();
      case "earliest":
        return StartupPosition.earliest();
      case "latest":
        return StartupPosition.latest();
      case "timestamp":
        Field timestamp = field.get("timestamp");
        if (!timestamp.isPresent()) {
          throw timestamp.expected("epoch milliseconds, e.g. 1700000000000");
        }
        return StartupPosition.timestamp(timestamp.positiveLong(0));
      default:
        throw type.expected(POSITIONS);
    }
  }

  private static Map<String, String> properties(Field field) {
    Map<String, String> result = new LinkedHashMap<>();
    if (field.isPresent()) {
      field
          .mapping("a mapping of Kafka client settings")
          .plainMap()
          .forEach((key, value) -> result.put(key, String.valueOf(value)));
    }
    return result;
  }
}
