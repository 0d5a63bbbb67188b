package io.stateweave.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * What the benchmarks on the standalone cluster submit, the job jar users {@code flink run} and
 * this module's classes (on {@code flink run -C}), and a fresh folder for their clusters' files.
 *
 * @param work a folder under {@code benchmarks/target} named after the run and its start time
 */
record ClusterFiles(Path jobJar, Path classes, Path work) {
  /** Under the project root the bench profile passes as {@code stateweave.root}. */
  static ClusterFiles locate(String runName) {
    Path root = Path.of(System.getProperty("stateweave.root", "..")).toAbsolutePath().normalize();
    Path jobJar = root.resolve("jobs/target/stateweave-jobs-0.1.0-SNAPSHOT.jar");
    if (!Files.isRegularFile(jobJar)) {
      throw new IllegalStateException("no job jar at " + jobJar + ": mvn -pl jobs -am package");
    }
    Path work =
        root.resolve("benchmarks/target")
            .resolve(
                runName
                    + "-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss")));
    return new ClusterFiles(jobJar, root.resolve("benchmarks/target/classes"), work);
  }
}
