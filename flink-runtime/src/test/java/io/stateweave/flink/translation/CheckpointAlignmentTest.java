package io.stateweave.flink.translation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.flink.module.ModuleLoader;
import io.stateweave.flink.module.ModuleSpec;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The feedback loop's checkpoints need aligned barriers; a job asking for unaligned ones fails. */
class CheckpointAlignmentTest {
  private static final ModuleSpec MODULE =
      ModuleLoader.parse(
          """
          kind: io.stateweave.functions.v1/java
          spec:
            functions:
              - {type: test/hello, class: io.stateweave.flink.module.TestFunctions$Echo}
          ---
          kind: io.stateweave.ingress.v1/generator
          spec:
            id: test/names
            targets: [test/hello]
            records: [{id: a, value: go}]
          """,
          "test module");

  private static StreamExecutionEnvironment environment(String unaligned) {
    Configuration conf = new Configuration();
    conf.setString("execution.checkpointing.interval", "10 s");
    conf.setString("execution.checkpointing.unaligned.enabled", unaligned);
    return StreamExecutionEnvironment.getExecutionEnvironment(conf);
  }

  @Test
  void unalignedCheckpointsAreRefusedNamingTheOption() {
    StreamExecutionEnvironment env = environment("true");

    assertThatThrownBy(() -> ModuleTranslator.translate(env, MODULE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs aligned checkpoints")
        .hasMessageContaining("-Dexecution.checkpointing.unaligned.enabled=false");
  }

  @Test
  void alignedCheckpointsBuildTheJob() {
    StreamExecutionEnvironment env = environment("false");

    ModuleTranslator.translate(env, MODULE);

    assertThat(env.getStreamGraph().getStreamNodes())
        .extracting(node -> node.getOperatorName())
        .contains("functions");
  }
}
