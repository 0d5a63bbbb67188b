package io.stateweave.testinfra.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeToolsTest {
  @TempDir Path dir;

  @Test
  void findsAnExecutableOnThePath() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path node = Files.createFile(bin.resolve("node"));
    Files.setPosixFilePermissions(node, PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThat(NodeTools.find("node", empty + File.pathSeparator + bin)).isEqualTo(node);
  }

  @Test
  void saysWhatToInstallWhenItIsMissing() {
    assertThatThrownBy(() -> NodeTools.find("npm", dir.toString()))
        .hasMessageContaining("`npm` is not on the PATH (" + dir + ")")
        .hasMessageContaining("install them");
  }
}
