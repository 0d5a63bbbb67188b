package io.stateweave.testinfra.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Flink distribution that {@code tools/flink} assembles in {@code tools/flink/target/flink}.
 */
final class FlinkDistribution {
  static final String ROOT_PROPERTY = "stateweave.root";
  static final String HOME_IN_REPO = "tools/flink/target/flink";

  private final Path home;

  private FlinkDistribution(Path home) {
    this.home = home;
  }

  /**
   * The distribution of this repository: under the {@code stateweave.root} system property
   * (surefire sets it), else under the nearest folder above the working directory that holds {@code
   * tools/flink}.
   */
  static FlinkDistribution locate() {
    Path root = repositoryRoot();
    return at(root.resolve(HOME_IN_REPO));
  }

  static FlinkDistribution at(Path home) {
    Objects.requireNonNull(home, "home");
    Path lib = home.resolve("lib");
    if (!Files.isDirectory(lib) || !Files.isRegularFile(home.resolve("conf/config.yaml"))) {
      throw new IllegalStateException(
          "no Flink distribution at "
              + home
              + " (lib/ or conf/config.yaml missing): build it with"
              + " 'mvn -B -q -pl tools/flink package' in the repository root");
    }
    return new FlinkDistribution(home.toAbsolutePath().normalize());
  }

  private static Path repositoryRoot() {
    String property = System.getProperty(ROOT_PROPERTY);
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    Path dir = Path.of("").toAbsolutePath();
    for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
      if (Files.isDirectory(candidate.resolve("tools/flink"))) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "cannot find the repository root: set -D"
            + ROOT_PROPERTY
            + "=<root> or run below it"
            + " (no folder above "
            + dir
            + " holds tools/flink)");
  }

  Path home() {
    return home;
  }

  Path lib() {
    return home.resolve("lib");
  }

  Path configTemplate() {
    return home.resolve("conf/config.yaml");
  }

  Path log4jConfig() {
    return home.resolve("conf/log4j.properties");
  }

  /** The jars of lib/, sorted, so that every process sees the same classpath order. */
  String classpath() {
    try (Stream<Path> jars = Files.list(lib())) {
      List<String> sorted =
          jars.filter(p -> p.getFileName().toString().endsWith(".jar"))
              .map(Path::toString)
              .sorted()
              .collect(Collectors.toList());
      if (sorted.isEmpty()) {
        throw new IllegalStateException(
            lib() + " has no jars: rebuild it with 'mvn -B -q -pl tools/flink package'");
      }
      return String.join(java.io.File.pathSeparator, sorted);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + lib(), e);
    }
  }
}
