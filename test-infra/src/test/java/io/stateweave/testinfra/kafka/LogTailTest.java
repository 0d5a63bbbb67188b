package io.stateweave.testinfra.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

  @Test
  void lastLines(@TempDir Path dir) throws IOException {
    Path log = dir.resolve("x.log");
    Files.writeString(log, "one\ntwo\nthree\n");
    assertThat(LogTail.of(log, 2)).isEqualTo("two\nthree");
    assertThat(LogTail.of(log, 10)).isEqualTo("one\ntwo\nthree");
  }

  @Test
  void firstErrorWithTheLinesAfterIt(@TempDir Path dir) throws IOException {
    Path log = dir.resolve("x.log");
    Files.writeString(
        log,
        String.join(
            "\n",
            "[2026-01-01 10:00:00,000] INFO starting (kafka.Kafka)",
            "[2026-01-01 10:00:01,000] ERROR cannot bind (kafka.network.Acceptor)",
            "java.net.BindException: Address already in use",
            "\tat sun.nio.ch.Net.bind(Net.java:1)",
            "[2026-01-01 10:00:02,000] ERROR second (kafka.Kafka)"));
    assertThat(LogTail.firstError(log, 2))
        .isEqualTo(
            "[2026-01-01 10:00:01,000] ERROR cannot bind (kafka.network.Acceptor)\n"
                + "java.net.BindException: Address already in use");
  }

  @Test
  void aMissingFileIsSaidSo(@TempDir Path dir) {
    assertThat(LogTail.of(dir.resolve("none.log"), 5)).contains("does not exist");
    assertThat(LogTail.firstError(dir.resolve("none.log"), 5)).isEmpty();
  }
}
