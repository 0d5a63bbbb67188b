package io.stateweave.testinfra.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaLibsTest {

  @Test
  void findsTheJarsFromAModuleFolderBelowTheRoot(@TempDir Path root) throws IOException {
    Path libs = Files.createDirectories(root.resolve("tools/kafka/target/kafka-libs"));
    Files.createFile(libs.resolve("kafka_2.13-4.2.0.jar"));
    Path module = Files.createDirectories(root.resolve("jobs/src"));

    assertThat(KafkaLibs.locate(null, module)).isEqualTo(libs);
    assertThat(KafkaLibs.locate(root.toString(), Path.of("/"))).isEqualTo(libs);
  }

  @Test
  void missingJarsSayHowToBuildThem(@TempDir Path root) throws IOException {
    Files.createDirectories(root.resolve("tools/kafka"));
    assertThatThrownBy(() -> KafkaLibs.locate(root.toString(), root))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("jars are missing")
        .hasMessageContaining("mvn -pl tools/kafka package");
  }

  @Test
  void aRootPropertyOutsideTheRepositoryIsNamed(@TempDir Path elsewhere) {
    assertThatThrownBy(() -> KafkaLibs.locate(elsewhere.toString(), elsewhere))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("stateweave.root=" + elsewhere);
  }
}
