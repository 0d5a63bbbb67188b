package io.stateweave.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The job jar started with {@code java -jar}, where Flink is not on the classpath. */
class LauncherTest {
  @Test
  void withoutFlinkItSaysHowToRunTheJarInstead() throws Exception {
    // the job's own classes, as in the jar, which leaves Flink out
    Path classes = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                List.of(
                    java.toString(), "-cp", classes.toString(), Launcher.class.getName(), "--help"))
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(output)
        .startsWith("stateweave: Flink is not on the classpath: this jar runs on a Flink cluster.")
        .contains("flink run [-p <parallelism>] <this jar>")
        .contains("mvn -B -q -pl jobs exec:exec")
        .doesNotContain("NoClassDefFoundError");
  }
}
