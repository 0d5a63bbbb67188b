package io.stateweave.testinfra.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code remote-peers/node} folder of the repository: finds it, and installs its npm
 * dependencies with {@code npm ci} from the committed lock file when they are missing or stale, so
 * that a fresh clone needs nothing but Node.js and npm.
 */
final class NodePeer {
  static final String ROOT_PROPERTY = "stateweave.root";
  static final Path PEER_DIR = Path.of("remote-peers", "node");

  /** Written into node_modules after a successful {@code npm ci}: the lock file's hash. */
  static final String INSTALLED_MARKER = ".stateweave-installed";

  private static final Duration NPM_CI_TIMEOUT = Duration.ofMinutes(5);

  /** Test JVMs forked in parallel must not run {@code npm ci} into the same folder at once. */
  private static final Object JVM_LOCK = new Object();

  private NodePeer() {}

  /**
   * The peer folder under the repository root given by the system property {@value #ROOT_PROPERTY}
   * (Surefire sets it), else under the nearest folder above {@code currentDir} that has it.
   */
  static Path locate(String rootProperty, Path currentDir) {
    if (rootProperty != null && !rootProperty.isBlank()) {
      Path dir = Path.of(rootProperty).resolve(PEER_DIR);
      if (!Files.isRegularFile(dir.resolve("functions.js"))) {
        throw new IllegalStateException(
            "No Node peer at "
                + dir
                + " (from the system property "
                + ROOT_PROPERTY
                + "="
                + rootProperty
                + "): it should hold functions.js and package.json");
      }
      return dir;
    }
    for (Path dir = currentDir.toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(PEER_DIR).resolve("functions.js"))) {
        return dir.resolve(PEER_DIR);
      }
    }
    throw new IllegalStateException(
        "Cannot find "
            + PEER_DIR
            + " in "
            + currentDir.toAbsolutePath()
            + " or above it; set the system property "
            + ROOT_PROPERTY
            + " to the repository root");
  }

  /** Runs {@code npm ci} unless node_modules was installed from the current lock file. */
  static void install(Path peerDir, Path logFile) {
    synchronized (JVM_LOCK) {
      try (FileChannel channel =
              FileChannel.open(
                  lockFile(peerDir), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        String lockHash = lockFileHash(peerDir);
        Path marker = peerDir.resolve("node_modules").resolve(INSTALLED_MARKER);
        if (Files.isRegularFile(marker) && Files.readString(marker).equals(lockHash)) {
          return;
        }
        npmCi(peerDir, logFile);
        Files.writeString(marker, lockHash);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot install the npm packages of " + peerDir, e);
      }
    }
  }

  private static void npmCi(Path peerDir, Path logFile) throws IOException {
    Files.createDirectories(logFile.getParent());
    List<String> command =
        List.of(NodeTools.npm().toString(), "ci", "--no-audit", "--no-fund", "--loglevel=warn");
    Process process =
        new ProcessBuilder(command)
            .directory(peerDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .start();
    try {
      if (!process.waitFor(NPM_CI_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "`npm ci` in "
                + peerDir
                + " did not finish within "
                + NPM_CI_TIMEOUT
                + "; see "
                + logFile);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while running `npm ci` in " + peerDir, e);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          "`npm ci` in "
              + peerDir
              + " failed with exit code "
              + process.exitValue()
              + " (is the npm registry reachable?); the end of "
              + logFile
              + ":\n"
              + Logs.tail(logFile, 30));
    }
  }

  /** Next to the folder, not in it, so that git never sees it. */
  private static Path lockFile(Path peerDir) {
    String name = "stateweave-npm-ci-" + hash(peerDir.toAbsolutePath().toString()) + ".lock";
    return Path.of(System.getProperty("java.io.tmpdir")).resolve(name);
  }

  private static String lockFileHash(Path peerDir) throws IOException {
    Path lock = peerDir.resolve("package-lock.json");
    if (!Files.isRegularFile(lock)) {
      throw new IllegalStateException(
          "No package-lock.json in "
              + peerDir
              + ": `npm ci` installs from the committed lock file");
    }
    return hash(Files.readString(lock));
  }

  private static String hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
