package io.stateweave.testinfra.kafka;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker that cannot start says why, with its own words from the log. */
class KafkaBrokerFailureTest {

  @Test
  void aTakenPortFailsTheStartWithTheBrokersError(@TempDir Path dir) throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> KafkaBroker.start(dir, taken.getLocalPort(), false))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("Kafka broker exited with code 1 while starting")
          .hasMessageContaining("first error in " + dir.resolve("broker.log"))
          .hasMessageContaining("Address already in use");
    }
  }

  @Test
  void refusesAWorkDirWithAnEarlierBrokersData(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("data/meta.properties"), "node.id=1\n");
    assertThatThrownBy(() -> KafkaBroker.start(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already holds a broker's data");
  }
}
