package io.stateweave.flink.processor;

import io.stateweave.flink.egress.EgressBinder;
import io.stateweave.flink.module.KafkaEgressSpec;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.processor.KafkaInput;
import io.stateweave.sdk.processor.KafkaOutput;
import io.stateweave.sdk.processor.Processor;
import io.stateweave.sdk.processor.StartupPosition;
import io.stateweave.sdk.processor.TaskConfig;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Runs processor tasks on Flink: each input a {@code KafkaSource} with its watermarks, all inputs
 * keyed by record key into the task's operator, each output channel an exactly-once Kafka sink.
 *
 * <pre>{@code
 * StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
 * env.enableCheckpointing(10_000);
 * Processors.addTo(env, task);
 * env.execute();
 * }</pre>
 *
 * <p>Outputs become visible to {@code read_committed} consumers when a checkpoint completes, so
 * the job needs checkpointing. Operator ids derive from the task's name ({@code processor-<name>},
 * {@code ...-input-<i>}, {@code ...-output-<n>}): keep it across savepoints.
 */
public final class Processors {
  private Processors() {}

  /** Adds the task's sources, operator and sinks to {@code env}. */
  public static void addTo(StreamExecutionEnvironment env, TaskConfig task) {
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(task, "task");
    List<KafkaInput> inputs = task.inputs();
    DataStream<ProcessorRecord> records = null;
    for (int sourceId = 0; sourceId < inputs.size(); sourceId++) {
      DataStream<ProcessorRecord> input = input(env, task, sourceId, inputs.get(sourceId));
      records = records == null ? input : records.union(input);
    }
    List<DataStream<ProcessorRecord>> channels = process(records, task);
    List<KafkaOutput> outputs = task.outputs();
    for (int channel = 0; channel < outputs.size(); channel++) {
      KafkaOutput output = outputs.get(channel);
      channels
          .get(channel)
          .sinkTo(
              EgressBinder.kafkaSink(
                  egressSpec(task, channel, output), new ProcessorRecordWriter(output)))
          .name("processor " + task.name() + " output " + channel + " (kafka " + output.topic() + ")")
          .uid(uid(task) + "-output-" + channel);
    }
  }

  /**
   * Runs the task's processor over {@code records} instead of its Kafka inputs (which are then
   * not read), keyed by the records' keys; returns the records of each output channel, whose Kafka
   * outputs are then not written. For benchmarks and programs that bring their own sources and
   * sinks.
   */
  public static List<DataStream<ProcessorRecord>> process(
      DataStream<ProcessorRecord> records, TaskConfig task) {
    Objects.requireNonNull(records, "records");
    Objects.requireNonNull(task, "task");
    // here, on the client, so that a wrong class fails before the job is submitted
    instantiate(task, Thread.currentThread().getContextClassLoader());
    SingleOutputStreamOperator<ProcessorRecord> processed =
        records
            .keyBy(new RecordKey.Selector(), RecordKeySerializer.TYPE_INFO)
            .transform(
                "processor " + task.name(),
                ProcessorRecordSerializer.TYPE_INFO,
                new ProcessorOperatorFactory(task))
            .uid(uid(task));
    List<DataStream<ProcessorRecord>> channels = new ArrayList<>();
    for (int channel = 0; channel < task.outputs().size(); channel++) {
      channels.add(processed.getSideOutput(outputTag(task, channel)));
    }
    return channels;
  }

  private static DataStream<ProcessorRecord> input(
      StreamExecutionEnvironment env, TaskConfig task, int sourceId, KafkaInput input) {
    Properties properties = new Properties();
    properties.putAll(input.properties());
    KafkaSource<ProcessorRecord> source =
        KafkaSource.<ProcessorRecord>builder()
            .setProperties(properties)
            .setBootstrapServers(input.servers())
            .setGroupId(input.groupId())
            .setTopics(input.topic())
            .setStartingOffsets(startingOffsets(input.startupPosition()))
            .setDeserializer(new ProcessorRecordReader(sourceId))
            .build();
    // the Kafka source stamps each record with its Kafka timestamp; watermarks follow those
    WatermarkStrategy<ProcessorRecord> watermarks =
        WatermarkStrategy.forBoundedOutOfOrderness(input.outOfOrderness());
    if (input.idleTimeout() != null) {
      watermarks = watermarks.withIdleness(input.idleTimeout());
    }
    return env.fromSource(
            source,
            watermarks,
            "processor " + task.name() + " input " + sourceId + " (kafka " + input.topic() + ")",
            ProcessorRecordSerializer.TYPE_INFO)
        .uid(uid(task) + "-input-" + sourceId);
  }

  private static OffsetsInitializer startingOffsets(StartupPosition position) {
    switch (position.type()) {
      case EARLIEST:
        return OffsetsInitializer.earliest();
      case LATEST:
        return OffsetsInitializer.latest();
      case TIMESTAMP:
        return OffsetsInitializer.timestamp(position.timestampMillis());
      case GROUP_OFFSETS:
      default:
        return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
    }
  }

  private static KafkaEgressSpec egressSpec(TaskConfig task, int channel, KafkaOutput output) {
    return new KafkaEgressSpec(
        TypeName.parse("processor/" + task.name() + "-output-" + channel),
        output.servers(),
        KafkaEgressSpec.DeliverySemantic.EXACTLY_ONCE,
        output.transactionTimeout(),
        output.topic(),
        output.properties());
  }

  static String uid(TaskConfig task) {
    return "processor-" + task.name();
  }

  static OutputTag<ProcessorRecord> outputTag(TaskConfig task, int channel) {
    return new OutputTag<>(
        uid(task) + "-channel-" + channel, ProcessorRecordSerializer.TYPE_INFO);
  }

  /** A new instance of the task's processor class, or an error saying why there is none. */
  static Processor instantiate(TaskConfig task, ClassLoader classLoader) {
    String name = task.processorClass();
    String prefix = "processor task '" + task.name() + "': class " + name;
    Class<?> type;
    try {
      type = Class.forName(name, true, classLoader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException(prefix + " cannot be loaded: " + e, e);
    }
    if (!Processor.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(
          prefix + " does not implement " + Processor.class.getName());
    }
    try {
      return (Processor) type.getConstructor().newInstance();
    } catch (NoSuchMethodException | IllegalAccessException e) {
      throw new IllegalArgumentException(
          prefix + " needs a public no-arg constructor (and must be public)", e);
    } catch (InstantiationException | InvocationTargetException e) {
      Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
      throw new IllegalArgumentException(prefix + " could not be created: " + cause, cause);
    }
  }
}
