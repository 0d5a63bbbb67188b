package io.stateweave.testinfra.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KafkaBrokerCliTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void badArgumentsExitWith2AndTheUsage() {
    assertThat(run("--port", "9092")).isEqualTo(2);
    assertThat(err()).contains("--dir is required").contains("usage: KafkaBroker");

    err.reset();
    assertThat(run("--dir", "x", "--port", "http")).isEqualTo(2);
    assertThat(err()).contains("--port must be a number, was http");

    err.reset();
    assertThat(run("--dir", "x", "--bogus")).isEqualTo(2);
    assertThat(err()).contains("unknown argument: --bogus");
  }

  @Test
  void helpGoesToStandardOutput() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--detach");
  }

  private int run(String... args) {
    return KafkaBrokerCli.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
