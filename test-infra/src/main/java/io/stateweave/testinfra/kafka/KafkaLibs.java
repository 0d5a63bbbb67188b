package io.stateweave.testinfra.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the broker's jars that the {@code tools/kafka} module copies into its target folder. */
final class KafkaLibs {

  static final String ROOT_PROPERTY = "stateweave.root";
  private static final Path TOOL_DIR = Path.of("tools", "kafka");
  private static final Path LIBS_DIR = TOOL_DIR.resolve(Path.of("target", "kafka-libs"));

  private KafkaLibs() {}

  /**
   * The folder of the broker's jars: under the repository root given by the system property {@value
   * #ROOT_PROPERTY} (Surefire sets it), else under the nearest folder above the current directory
   * that has {@code tools/kafka}.
   */
  static Path locate() {
    return locate(System.getProperty(ROOT_PROPERTY), Path.of(""));
  }

  static Path locate(String rootProperty, Path currentDir) {
    Path root = repositoryRoot(rootProperty, currentDir);
    Path libs = root.resolve(LIBS_DIR);
    if (!hasBrokerJar(libs)) {
      throw new IllegalStateException(
          "The Kafka broker's jars are missing: "
              + libs
              + " has no kafka_2.13 jar. Build them first with `mvn -pl tools/kafka package`"
              + " from "
              + root
              + " (or `mvn install`).");
    }
    return libs;
  }

  private static Path repositoryRoot(String property, Path currentDir) {
    if (property != null && !property.isBlank()) {
      Path root = Path.of(property).toAbsolutePath().normalize();
      if (!Files.isDirectory(root.resolve(TOOL_DIR))) {
        throw new IllegalStateException(
            "System property "
                + ROOT_PROPERTY
                + "="
                + property
                + " does not point at the Stateweave repository: no "
                + TOOL_DIR
                + " in "
                + root);
      }
      return root;
    }
    Path start = currentDir.toAbsolutePath().normalize();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve(TOOL_DIR))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "Cannot find the Stateweave repository: no folder from "
            + start
            + " upwards has "
            + TOOL_DIR
            + ", and system property "
            + ROOT_PROPERTY
            + " is not set.");
  }

  // any version: the module copies exactly the one the parent pom names
  private static boolean hasBrokerJar(Path libs) {
    if (!Files.isDirectory(libs)) {
      return false;
    }
    try (var files = Files.list(libs)) {
      return files.anyMatch(f -> f.getFileName().toString().startsWith("kafka_2.13-"));
    } catch (IOException e) {
      return false;
    }
  }
}
