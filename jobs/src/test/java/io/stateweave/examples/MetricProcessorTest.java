package io.stateweave.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.sdk.processor.ProcessorTestHarness;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seed's MetricProcessor on the Flink-free harness. */
class MetricProcessorTest {
  @Test
  void emitsTheRunningTotalPerKeyAndResumesFromTheLastCheckpoint() {
    ProcessorTestHarness harness =
        ProcessorTestHarness.forProcessor(
            MetricProcessor::new, Map.of("metric_name", "user_click"), 1);

    harness.process(0, "alice", "{\"value\": 2}");
    harness.process(0, "bob", "{}");
    harness.checkpoint();
    harness.process(0, "alice", "{\"value\": 3}");
    harness.failAndRestore();
    harness.process(0, "alice", "{\"value\": 5}");

    assertThat(harness.emitted(0))
        .extracting(e -> e.keyText() + " " + e.valueText())
        .containsExactly(
            "alice {\"metric\":\"user_click\",\"total\":2}",
            "bob {\"metric\":\"user_click\",\"total\":1}",
            "alice {\"metric\":\"user_click\",\"total\":7}");
    assertThat(harness.store("alice", "stats_db").get(utf8("count:user_click")))
        .hasValueSatisfying(v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("7"));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
