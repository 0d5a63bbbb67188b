package io.stateweave.testinfra.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Stops the JVMs of a cluster started by an earlier process, from its pid file. */
final class ProcessReaper {
  private ProcessReaper() {}

  /**
   * SIGTERMs every listed process that still runs and belongs to this cluster (its command line
   * names the cluster's config dir, so a recycled pid is left alone), SIGKILLs what is left after
   * the grace period, and removes the pid file. Returns what it did.
   */
  static String stop(Path pidFile, Path workDir, Duration grace) {
    if (!Files.isRegularFile(pidFile)) {
      return "no cluster running in " + workDir + " (no " + pidFile.getFileName() + ")";
    }
    String marker = workDir.resolve("conf").toString();
    List<ProcessHandle> ours = new ArrayList<>();
    List<String> names = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(pidFile)) {
        String[] parts = line.strip().split(" ");
        if (parts.length != 2) {
          continue;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(Long.parseLong(parts[1]));
        if (handle.isPresent()
            && handle.get().isAlive()
            && handle.get().info().commandLine().map(c -> c.contains(marker)).orElse(false)) {
          ours.add(handle.get());
          names.add(parts[0] + " (pid " + parts[1] + ")");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + pidFile, e);
    }
    ours.forEach(ProcessHandle::destroy);
    for (ProcessHandle handle : ours) {
      try {
        handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception notYet) {
        handle.destroyForcibly();
      }
    }
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + pidFile, e);
    }
    return names.isEmpty()
        ? "no cluster process was running"
        : "stopped " + String.join(", ", names);
  }
}
