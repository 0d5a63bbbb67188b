package io.stateweave.testinfra.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterConfigTest {
  @TempDir Path temp;

  private FlinkDistribution fakeDistribution() throws IOException {
    Path home = temp.resolve("flink");
    Files.createDirectories(home.resolve("lib"));
    Files.createDirectories(home.resolve("conf"));
    Files.writeString(home.resolve("lib/flink-runtime.jar"), "");
    Files.writeString(
        home.resolve("conf/config.yaml"),
        "# comment\n\ntaskmanager.memory.process.size: 1g\nparallelism.default: 1\n"
            + "env.java.opts.all: --add-opens=java.base/java.lang=ALL-UNNAMED\n");
    Files.writeString(home.resolve("conf/log4j.properties"), "rootLogger.level = INFO\n");
    return FlinkDistribution.at(home);
  }

  @Test
  void templateThenClusterSettingsThenExtraConfig() throws IOException {
    Path work = temp.resolve("cluster");
    ClusterConfig config =
        ClusterConfig.write(
            fakeDistribution(), work, 3, Map.of("parallelism.default", "4", "x.y", "it's"));

    Map<String, String> written = FlatYaml.read(work.resolve("conf/config.yaml"));
    assertThat(written)
        .containsEntry("taskmanager.memory.process.size", "1g")
        .containsEntry("parallelism.default", "4")
        .containsEntry("x.y", "it's")
        .containsEntry("taskmanager.numberOfTaskSlots", "3")
        .containsEntry("jobmanager.rpc.address", "127.0.0.1")
        .containsEntry("rest.bind-address", "127.0.0.1")
        .containsEntry("taskmanager.bind-host", "127.0.0.1")
        .containsEntry("env.java.opts.all", "--add-opens=java.base/java.lang=ALL-UNNAMED")
        .containsEntry("execution.checkpointing.dir", "file://" + work.resolve("checkpoints"));
    assertThat(written.get("rest.port")).isEqualTo(written.get("rest.bind-port"));
    assertThat(
            Map.of(
                    "rpc", written.get("jobmanager.rpc.port"),
                    "rest", written.get("rest.port"),
                    "blob", written.get("blob.server.port"))
                .values())
        .doesNotHaveDuplicates()
        .allSatisfy(port -> assertThat(Integer.parseInt(port)).isPositive());
    assertThat(config.restUrl()).isEqualTo("http://127.0.0.1:" + written.get("rest.port"));
    assertThat(work.resolve("conf/log4j.properties")).exists();
    assertThat(work.resolve("log")).isDirectory();
    assertThat(ClusterConfig.read(work).restUrl()).isEqualTo(config.restUrl());
  }

  @Test
  void nestedYamlInTheTemplateIsRejectedWithItsLine() throws IOException {
    Path file = temp.resolve("config.yaml");
    Files.writeString(file, "a: 1\nrest:\n  port: 8081\n");
    assertThatThrownBy(() -> FlatYaml.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("config.yaml:2");
  }

  @Test
  void aMissingDistributionSaysHowToBuildIt() {
    assertThatThrownBy(() -> FlinkDistribution.at(temp.resolve("nothing")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("mvn -B -q -pl tools/flink package");
  }

  @Test
  void jobIdsAre32HexDigits() {
    assertThat(new JobId("3608ea7e3e81f00ffe16d858edbc77eb").value()).hasSize(32);
    assertThatThrownBy(() -> new JobId("not-a-job")).isInstanceOf(IllegalArgumentException.class);
  }
}
