package io.stateweave.flink.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.flink.translation.ModuleTranslator;
import io.stateweave.sdk.processor.KafkaInput;
import io.stateweave.sdk.processor.KafkaOutput;
import io.stateweave.sdk.processor.Processor;
import io.stateweave.sdk.processor.ProcessorContext;
import io.stateweave.sdk.processor.StartupPosition;
import io.stateweave.sdk.processor.TaskConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** {@code io.stateweave.processor.v1/task}: what it reads into a TaskConfig, and what it refuses. */
class ProcessorTaskModuleTest {
  private static final String SOURCE = "test/module.yaml";

  /** A processor for the module files to name. */
  public static final class Noop implements Processor {
    @Override
    public void process(ProcessorContext ctx, int sourceId, byte[] data) {}
  }

  private static final String FULL =
      """
      kind: io.stateweave.processor.v1/task
      spec:
        name: python-etl-job
        class: io.stateweave.flink.module.ProcessorTaskModuleTest$Noop
        initConfig: {metric_name: user_click, threshold: 3}
        heartbeatInterval: 5s
        inputGroups:
          - inputs:
              - servers: kafka:9092
                topic: raw-data
                groupId: fs-group
                startupPosition: {type: earliest}
                outOfOrderness: 2s
                idleTimeout: 1 min
                properties: {max.poll.records: 100}
          - inputs:
              - {servers: kafka:9092, topic: more, groupId: fs-group, startupPosition: {type: timestamp, timestamp: 1700000000000}}
        outputs:
          - {servers: kafka:9092, topic: clean-data, partition: 0, transactionTimeout: 1min}
          - {servers: kafka:9092, topic: other}
      """;

  @Test
  void aTaskWithEveryFieldIsTheTaskTheBuilderMakes() {
    ModuleSpec module = ModuleLoader.parse(FULL, SOURCE);

    assertThat(module.processors()).hasSize(1);
    TaskConfig task = module.processors().get(0);
    assertThat(task.name()).isEqualTo("python-etl-job");
    assertThat(task.processorClass()).isEqualTo(Noop.class.getName());
    assertThat(task.initConfig()).isEqualTo(Map.of("metric_name", "user_click", "threshold", "3"));
    assertThat(task.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(task.inputGroups())
        .containsExactly(
            List.of(
                KafkaInput.of("kafka:9092", "raw-data", "fs-group")
                    .startingAt(StartupPosition.earliest())
                    .withOutOfOrderness(Duration.ofSeconds(2))
                    .withIdleTimeout(Duration.ofMinutes(1))
                    .withProperty("max.poll.records", "100")),
            List.of(
                KafkaInput.of("kafka:9092", "more", "fs-group")
                    .startingAt(StartupPosition.timestamp(1_700_000_000_000L))));
    assertThat(task.outputs())
        .containsExactly(
            KafkaOutput.of("kafka:9092", "clean-data")
                .toPartition(0)
                .withTransactionTimeout(Duration.ofMinutes(1)),
            KafkaOutput.of("kafka:9092", "other"));
  }

  @Test
  void aModuleOfTasksAloneTranslatesIntoTheTasksOperators() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    ModuleTranslator.translate(env, ModuleLoader.parse(FULL, SOURCE));

    assertThat(env.getTransformations())
        .extracting(Transformation::getUid)
        .contains(
            "processor-python-etl-job",
            "processor-python-etl-job-output-0",
            "processor-python-etl-job-output-1");
  }

  @Test
  void mistakesAreRefusedNamingTheField() {
    assertRefused(
        "inputs: [{servers: k:1, topic: t, groupId: g, startAt: earliest}]",
        "field 'spec.inputs[0].startAt': expected one of [servers, topic, groupId,"
            + " startupPosition, outOfOrderness, idleTimeout, properties], got unknown field"
            + " 'startAt'");
    assertRefused(
        "inputs: [{servers: k:1, groupId: g}]",
        "field 'spec.inputs[0].topic': expected a topic name, got nothing");
    assertRefused(
        "inputs: [{servers: k:1, topic: t, groupId: g, startupPosition: {type: first}}]",
        "field 'spec.inputs[0].startupPosition.type': expected one of [group-offsets, earliest,"
            + " latest, timestamp], got 'first'");
    assertRefused(
        "inputs: [{servers: k:1, topic: t, groupId: g, outOfOrderness: soon}]",
        "field 'spec.inputs[0].outOfOrderness': expected a duration such as 500ms, 10s, 2 min or"
            + " 1h");
    assertRefused(
        "inputs: [{servers: k:1, topic: t, groupId: g}]\n  outputs: [{servers: k:1, topic: o,"
            + " partition: -1}]",
        "field 'spec.outputs[0].partition': expected a partition number >= 0, got the number -1");
    assertRefused(
        "outputs: [{servers: k:1, topic: o}]",
        "field 'spec': expected either 'inputs' (one input group) or 'inputGroups' (a list of"
            + " '- inputs: [...]'), got neither");
  }

  @Test
  void theClassMustBeAProcessorAndTheNameUnique() {
    assertThatThrownBy(
            () ->
                ModuleLoader.parse(
                    FULL.replace("ProcessorTaskModuleTest$Noop", "NoSuchProcessor"), SOURCE))
        .hasMessageContaining(
            "field 'spec.class': expected a Processor class on the classpath, got"
                + " 'io.stateweave.flink.module.NoSuchProcessor'");
    assertThatThrownBy(
            () ->
                ModuleLoader.parse(
                    FULL.replace("ProcessorTaskModuleTest$Noop", "TestFunctions$Greeter"), SOURCE))
        .hasMessageContaining(
            "field 'spec.class': expected a class implementing"
                + " io.stateweave.sdk.processor.Processor");
    assertThatThrownBy(() -> ModuleLoader.parse(FULL + "---\n" + FULL, SOURCE))
        .hasMessage(
            SOURCE
                + ": document 2 (io.stateweave.processor.v1/task): field 'spec.name': expected a"
                + " unique processor task name, got python-etl-job which document 1 already binds");
  }

  private static void assertRefused(String specLines, String message) {
    String yaml =
        """
        kind: io.stateweave.processor.v1/task
        spec:
          name: t
          class: io.stateweave.flink.module.ProcessorTaskModuleTest$Noop
        """
            + "  "
            + specLines
            + "\n";
    assertThatThrownBy(() -> ModuleLoader.parse(yaml, SOURCE))
        .isInstanceOf(ModuleSpecException.class)
        .hasMessageStartingWith(SOURCE + ": document 1 (io.stateweave.processor.v1/task): " + message);
  }
}
