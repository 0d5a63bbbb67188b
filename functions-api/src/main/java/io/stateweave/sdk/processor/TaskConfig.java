package io.stateweave.sdk.processor;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A processor task: which processor runs, with what init config, reading which inputs and writing
 * which outputs. Built with {@link #builder()}:
 *
 * <pre>{@code
 * TaskConfig task = TaskConfig.builder()
 *     .name("metrics")
 *     .processor(MetricProcessor.class)
 *     .initConfig("metric_name", "user_click")
 *     .inputGroup(KafkaInput.of("kafka:9092", "raw-data", "fs-group"))
 *     .output(KafkaOutput.of("kafka:9092", "clean-data"))
 *     .build();
 * }</pre>
 */
public final class TaskConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Names end up in operator ids and Kafka transactional ids. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(10);

  private final String name;
  private final String processorClass;
  private final Map<String, String> initConfig;
  private final List<List<KafkaInput>> inputGroups;
  private final List<KafkaOutput> outputs;
  private final Duration heartbeatInterval;

  private TaskConfig(Builder builder) {
    this.name = builder.name;
    this.processorClass = builder.processorClass;
    this.initConfig = Map.copyOf(builder.initConfig);
    List<List<KafkaInput>> groups = new ArrayList<>();
    builder.inputGroups.forEach(group -> groups.add(List.copyOf(group)));
    this.inputGroups = List.copyOf(groups);
    this.outputs = List.copyOf(builder.outputs);
    this.heartbeatInterval = builder.heartbeatInterval;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String name() {
    return name;
  }

  /** The {@link Processor} class, instantiated with its public no-arg constructor. */
  public String processorClass() {
    return processorClass;
  }

  public Map<String, String> initConfig() {
    return initConfig;
  }

  public List<List<KafkaInput>> inputGroups() {
    return inputGroups;
  }

  /** Every input, across groups in order: the index is the input's {@code sourceId}. */
  public List<KafkaInput> inputs() {
    List<KafkaInput> all = new ArrayList<>();
    inputGroups.forEach(all::addAll);
    return all;
  }

  /** The output channels: channel {@code n} is the {@code n}-th. */
  public List<KafkaOutput> outputs() {
    return outputs;
  }

  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  /** Collects a task; {@link #build()} refuses a mistake naming the setting. */
  public static final class Builder {
    private String name;
    private String processorClass;
    private final Map<String, String> initConfig = new LinkedHashMap<>();
    private final List<List<KafkaInput>> inputGroups = new ArrayList<>();
    private final List<KafkaOutput> outputs = new ArrayList<>();
    private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;

    private Builder() {}

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder processor(Class<? extends Processor> processor) {
      this.processorClass = Objects.requireNonNull(processor, "processor").getName();
      return this;
    }

    /** By class name, for configurations read from text. */
    public Builder processor(String className) {
      this.processorClass = className;
      return this;
    }

    public Builder initConfig(String key, String value) {
      initConfig.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public Builder initConfig(Map<String, String> config) {
      config.forEach(this::initConfig);
      return this;
    }

    public Builder inputGroup(KafkaInput... inputs) {
      return inputGroup(List.of(inputs));
    }

    public Builder inputGroup(List<KafkaInput> inputs) {
      inputGroups.add(List.copyOf(inputs));
      return this;
    }

    public Builder output(KafkaOutput output) {
      outputs.add(Objects.requireNonNull(output, "output"));
      return this;
    }

    public Builder heartbeatInterval(Duration interval) {
      this.heartbeatInterval = interval;
      return this;
    }

    public TaskConfig build() {
      if (name == null || !NAME.matcher(name).matches()) {
        throw invalid("name", "letters, digits, '.', '_' and '-', starting with a letter or digit", name);
      }
      if (processorClass == null || processorClass.isEmpty()) {
        throw invalid("processor", "a Processor class", processorClass);
      }
      if (inputGroups.isEmpty()) {
        throw invalid("inputGroup", "at least one input group", "none");
      }
      for (int g = 0; g < inputGroups.size(); g++) {
        List<KafkaInput> group = inputGroups.get(g);
        if (group.isEmpty()) {
          throw invalid("inputGroup[" + g + "]", "at least one KafkaInput", "none");
        }
        for (int i = 0; i < group.size(); i++) {
          check(group.get(i), "inputGroup[" + g + "][" + i + "]");
        }
      }
      for (int o = 0; o < outputs.size(); o++) {
        KafkaOutput output = outputs.get(o);
        String field = "output[" + o + "]";
        required(output.servers(), field + ".servers", "bootstrap servers host:port,...");
        required(output.topic(), field + ".topic", "a topic name");
        if (output.partition() != null && output.partition() < 0) {
          throw invalid(field + ".partition", "a partition number >= 0", output.partition());
        }
        positive(output.transactionTimeout(), field + ".transactionTimeout");
      }
      positive(heartbeatInterval, "heartbeatInterval");
      return new TaskConfig(this);
    }

    private static void check(KafkaInput input, String field) {
      required(input.servers(), field + ".servers", "bootstrap servers host:port,...");
      required(input.topic(), field + ".topic", "a topic name");
      required(input.groupId(), field + ".groupId", "a consumer group id");
      if (input.outOfOrderness().isNegative()) {
        throw invalid(field + ".outOfOrderness", "a duration >= 0", input.outOfOrderness());
      }
      if (input.idleTimeout() != null) {
        positive(input.idleTimeout(), field + ".idleTimeout");
      }
    }

    private static void required(String value, String field, String what) {
      if (value == null || value.isEmpty()) {
        throw invalid(field, what, value == null ? "none" : "an empty string");
      }
    }

    private static void positive(Duration duration, String field) {
      if (duration == null || duration.isZero() || duration.isNegative()) {
        throw invalid(field, "a positive duration", duration);
      }
    }

    private static IllegalArgumentException invalid(String field, String expected, Object got) {
      return new IllegalArgumentException(
          "TaskConfig: " + field + ": expected " + expected + ", got " + got);
    }
  }
}
