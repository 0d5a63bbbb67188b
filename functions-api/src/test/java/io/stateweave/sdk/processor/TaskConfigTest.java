package io.stateweave.sdk.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskConfigTest {
  static final class Noop implements Processor {
    @Override
    public void process(ProcessorContext ctx, int sourceId, byte[] data) {}
  }

  @Test
  void inputsAreNumberedAcrossGroupsInOrder() {
    KafkaInput a = KafkaInput.of("k:9092", "a", "g");
    KafkaInput b = KafkaInput.of("k:9092", "b", "g").startingAt(StartupPosition.earliest());
    KafkaInput c = KafkaInput.of("k:9092", "c", "g").withOutOfOrderness(Duration.ofSeconds(2));
    TaskConfig task =
        TaskConfig.builder()
            .name("etl")
            .processor(Noop.class)
            .initConfig("metric_name", "user_click")
            .inputGroup(a, b)
            .inputGroup(c)
            .output(KafkaOutput.of("k:9092", "out").toPartition(0))
            .build();

    assertThat(task.inputs()).containsExactly(a, b, c);
    assertThat(task.processorClass()).isEqualTo(Noop.class.getName());
    assertThat(task.initConfig()).isEqualTo(Map.of("metric_name", "user_click"));
    assertThat(task.outputs()).extracting(KafkaOutput::partition).containsExactly(0);
    assertThat(task.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void mistakesAreRefusedNamingTheSetting() {
    assertThatThrownBy(() -> valid().name("no spaces").build())
        .hasMessage(
            "TaskConfig: name: expected letters, digits, '.', '_' and '-', starting with a letter"
                + " or digit, got no spaces");
    assertThatThrownBy(() -> TaskConfig.builder().name("t").processor(Noop.class).build())
        .hasMessage("TaskConfig: inputGroup: expected at least one input group, got none");
    assertThatThrownBy(
            () ->
                valid()
                    .inputGroup(
                        KafkaInput.of("k:9092", "t", "g").withOutOfOrderness(Duration.ofMillis(-1)))
                    .build())
        .hasMessage("TaskConfig: inputGroup[1][0].outOfOrderness: expected a duration >= 0, got PT-0.001S");
    assertThatThrownBy(() -> valid().inputGroup(KafkaInput.of("k:9092", "t", "")).build())
        .hasMessage("TaskConfig: inputGroup[1][0].groupId: expected a consumer group id, got an empty string");
    assertThatThrownBy(() -> valid().output(KafkaOutput.of("k:9092", null)).build())
        .hasMessage("TaskConfig: output[0].topic: expected a topic name, got none");
    assertThatThrownBy(() -> valid().inputGroup(List.of()).build())
        .hasMessage("TaskConfig: inputGroup[1]: expected at least one KafkaInput, got none");
  }

  private static TaskConfig.Builder valid() {
    return TaskConfig.builder()
        .name("t")
        .processor(Noop.class)
        .inputGroup(KafkaInput.of("k:9092", "in", "g"));
  }
}
