package io.stateweave.testinfra.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodePeerTest {
  @TempDir Path root;

  private Path peer() throws Exception {
    Path peer = Files.createDirectories(root.resolve(NodePeer.PEER_DIR));
    Files.writeString(peer.resolve("functions.js"), "");
    return peer;
  }

  @Test
  void theRootPropertyWins() throws Exception {
    Path peer = peer();

    assertThat(NodePeer.locate(root.toString(), Path.of("/"))).isEqualTo(peer);
  }

  @Test
  void elseItIsFoundAboveTheCurrentFolder() throws Exception {
    Path peer = peer();
    Path module = Files.createDirectories(root.resolve("test-infra").resolve("target"));

    assertThat(NodePeer.locate(null, module)).isEqualTo(peer.toAbsolutePath());
  }

  @Test
  void aMissingPeerIsReportedWithWhereItWasLookedFor() {
    assertThatThrownBy(() -> NodePeer.locate(root.toString(), Path.of("")))
        .hasMessageContaining("No Node peer at " + root.resolve(NodePeer.PEER_DIR))
        .hasMessageContaining("stateweave.root");
    assertThatThrownBy(() -> NodePeer.locate(null, root))
        .hasMessageContaining("Cannot find remote-peers/node in " + root);
  }

  @Test
  void theRepositoryHasOneWithALockFile() {
    Path peer = NodePeer.locate(System.getProperty(NodePeer.ROOT_PROPERTY), Path.of(""));

    assertThat(peer.resolve("package-lock.json")).isRegularFile();
    assertThat(peer.resolve("package.json"))
        .content()
        .contains("\"apache-flink-statefun\": \"3.3.0\"");
  }
}
