package io.stateweave.sdk.reqreply;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Keeps the benchmark alive: every variant of this build, tiny, once. */
class RequestReplyServerBenchmarkSmokeTest {

  @Test
  void printsALinePerVariantAndBatch() throws Exception {
    ByteArrayOutputStream lines = new ByteArrayOutputStream();

    RequestReplyServerBenchmark.run(
        new String[] {
          "--variants", "ours,official,ours-loop",
          "--batches", "1,10",
          "--requests", "50",
          "--rounds", "1",
          "--connections", "3",
          "--slow-ms", "1",
          "--no-warmup"
        },
        new PrintStream(lines, true, StandardCharsets.UTF_8));

    assertThat(lines.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#")))
        .hasSize(6)
        .allMatch(l -> l.contains(" requests=50 ") && l.contains(" slow_ms=1 "));
  }
}
