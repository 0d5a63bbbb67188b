package io.stateweave.manager.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.manager.flink.FakeFlink;
import io.stateweave.manager.http.TestManager;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The stateweave command prints the manager's message and exits with its class's code. */
class StateweaveCliTest {
  private static final String TOKEN = "cli-token";

  @TempDir Path dir;
  private FakeFlink flink;
  private TestManager manager;
  private Path module;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void start() throws Exception {
    flink = FakeFlink.start();
    manager = TestManager.start(dir.resolve("manager"), flink, TOKEN);
    module = dir.resolve("module.yaml");
    Files.writeString(
        module,
        """
        kind: io.stateweave.egress.v1/stdout
        spec:
          id: example/out
        """);
  }

  @AfterEach
  void stop() {
    manager.close();
    flink.close();
  }

  @Test
  void aSessionCreateStartShowStopStartAgainDrop() {
    assertThat(run("create", "m", "--module", module.toString(), "-p", "2")).isZero();
    assertThat(run("start", "m")).isZero();
    assertThat(run("show")).isZero();
    assertThat(run("stop", "m")).isZero();
    assertThat(run("start", "m")).isZero();
    assertThat(run("savepoints", "m")).isZero();
    assertThat(run("drop", "m")).isZero();

    assertThat(out.toString())
        .contains("created m")
        .containsPattern("started m as job [0-9a-f]{32}")
        .containsPattern("m +running +[0-9a-f]{32} +-")
        .contains("stopped m with savepoint file:/savepoints/savepoint-1")
        .contains("file:/savepoints/savepoint-1")
        .contains("dropped m (stopped with savepoint file:/savepoints/savepoint-2)");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void eachClassOfRefusalHasItsOwnExitCodeAndPrintsTheMessage() {
    List<String> lines = new ArrayList<>();
    Path bad = dir.resolve("bad.yaml");
    write(bad, "kind: io.stateweave.egress.v1/stdout\nspec: {}\n");

    assertThat(run("create", "m", "--module", bad.toString())).isEqualTo(StateweaveCli.BAD_REQUEST);
    assertThat(run("start", "unknown")).isEqualTo(StateweaveCli.NOT_FOUND);
    assertThat(run("create", "m", "--module", module.toString())).isZero();
    assertThat(run("create", "m", "--module", module.toString())).isEqualTo(StateweaveCli.CONFLICT);
    flink.refuseRuns("no slots");
    assertThat(run("start", "m")).isEqualTo(StateweaveCli.SERVER);
    assertThat(runWithToken("wrong", "show")).isEqualTo(StateweaveCli.UNAUTHORIZED);
    err.toString().lines().forEach(lines::add);

    assertThat(lines)
        .hasSize(5)
        .satisfiesExactly(
            l ->
                assertThat(l)
                    .startsWith(
                        "stateweave: "
                            + bad
                            + ": document 1 (io.stateweave.egress.v1/stdout): field 'spec.id'"),
            l -> assertThat(l).isEqualTo("stateweave: no definition named 'unknown'"),
            l -> assertThat(l).isEqualTo("stateweave: a definition named 'm' exists already"),
            l ->
                assertThat(l)
                    .startsWith("stateweave: the cluster refused to start 'm': ")
                    .contains("no slots"),
            l -> assertThat(l).isEqualTo("stateweave: the bearer token is not valid"));
    assertThat(
            List.of(
                StateweaveCli.BAD_REQUEST,
                StateweaveCli.NOT_FOUND,
                StateweaveCli.CONFLICT,
                StateweaveCli.SERVER,
                StateweaveCli.UNAUTHORIZED,
                StateweaveCli.UNREACHABLE,
                2))
        .doesNotHaveDuplicates();
  }

  @Test
  void anUnreachableManagerExitsWith1() {
    assertThat(
            StateweaveCli.commandLine()
                .setErr(new PrintWriter(err, true))
                .execute("show", "--manager", "http://127.0.0.1:1"))
        .isEqualTo(StateweaveCli.UNREACHABLE);
    assertThat(err.toString())
        .startsWith("stateweave: cannot reach the Stateweave manager at http://127.0.0.1:1/");
  }

  private int run(String... args) {
    return runWithToken(TOKEN, args);
  }

  private int runWithToken(String token, String... args) {
    CommandLine cli =
        StateweaveCli.commandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--manager", manager.uri().toString(), "--token", token));
    return cli.execute(all.toArray(String[]::new));
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
