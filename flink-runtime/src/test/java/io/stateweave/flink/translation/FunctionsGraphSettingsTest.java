package io.stateweave.flink.translation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.flink.module.ModuleLoader;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/**
 * What the functions graph takes from the job's configuration: its operators flush after
 * stateweave.buffer-timeout while others keep Flink's, and its feedback loop's checkpoints need
 * aligned barriers, so a job asking for unaligned ones fails.
 */
class FunctionsGraphSettingsTest {
  private static final String MODULE =
      """
      kind: io.stateweave.functions.v1/java
      spec:
        functions:
          - {type: test/hello, class: io.stateweave.flink.module.TestFunctions$Echo}
      ---
      kind: io.statefun.endpoints.v2/http
      spec:
        functions: remote/*
        urlPathTemplate: http://127.0.0.1:1/{function.name}
      ---
      kind: io.stateweave.ingress.v1/generator
      spec:
        id: test/names
        targets: [test/hello]
        records: [{id: a, value: go}]
      ---
      kind: io.stateweave.egress.v1/stdout
      spec:
        id: test/out
      """;

  private static StreamExecutionEnvironment translated(Configuration conf) {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    ModuleTranslator.translate(env, ModuleLoader.parse(MODULE, "test module"));
    return env;
  }

  private static Map<String, Long> bufferTimeouts(Configuration conf) {
    return translated(conf).getStreamGraph().getStreamNodes().stream()
        .collect(
            Collectors.toMap(
                StreamNode::getOperatorName, StreamNode::getBufferTimeout, (a, b) -> a));
  }

  @Test
  void theFunctionsGraphFlushesAfterTwoMillisecondsByDefault() {
    Map<String, Long> timeouts = bufferTimeouts(new Configuration());
    assertThat(timeouts)
        .containsEntry("functions", 2L)
        .containsEntry("router test/names", 2L)
        .containsEntry("router keep-alive", 2L);
  }

  @Test
  void theKeySetsItAndOtherOperatorsKeepFlinksSetting() {
    Configuration conf = new Configuration();
    conf.set(StateweaveOptions.BUFFER_TIMEOUT, Duration.ofMillis(7));
    conf.setString("execution.buffer-timeout.interval", "40 ms");
    Map<String, Long> timeouts = bufferTimeouts(conf);
    assertThat(timeouts)
        .containsEntry("functions", 7L)
        .containsEntry("router test/names", 7L);
    assertThat(timeouts.entrySet())
        .filteredOn(e -> e.getKey().startsWith("Source"))
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.getValue()).isEqualTo(40L));
  }

  private static Configuration checkpointsEvery10s(String unaligned) {
    Configuration conf = new Configuration();
    conf.setString("execution.checkpointing.interval", "10 s");
    conf.setString("execution.checkpointing.unaligned.enabled", unaligned);
    return conf;
  }

  @Test
  void unalignedCheckpointsAreRefusedNamingTheOption() {
    Configuration conf = checkpointsEvery10s("true");

    assertThatThrownBy(() -> translated(conf))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs aligned checkpoints")
        .hasMessageContaining("-Dexecution.checkpointing.unaligned.enabled=false");
  }

  @Test
  void alignedCheckpointsBuildTheJob() {
    StreamExecutionEnvironment env = translated(checkpointsEvery10s("false"));

    assertThat(env.getStreamGraph().getStreamNodes())
        .extracting(node -> node.getOperatorName())
        .contains("functions");
  }
}
