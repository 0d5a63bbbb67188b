package io.stateweave.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.module.ModuleLoader;
import io.stateweave.flink.translation.ModuleTranslator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.junit.jupiter.api.Test;

/** A local run as the README's run command starts it: on an embedded MiniCluster of its own. */
class LocalRunTest {
  /** A remote function whose server is not there: every call fails at once. */
  static final String UNREACHABLE_FUNCTION =
      """
      kind: io.statefun.endpoints.v2/http
      spec:
        functions: remote/*
        urlPathTemplate: http://127.0.0.1:1/{function.name}
      ---
      kind: io.stateweave.ingress.v1/generator
      spec:
        id: test/in
        targets: [remote/counter]
        records: [{id: a, value: x}]
        count: 1
      ---
      kind: io.stateweave.egress.v1/stdout
      spec:
        id: test/out
      """;

  @Test
  void aJobThatKeepsFailingRestartsAFewTimesThenEndsWithItsCauseAndAHint() throws Exception {
    Configuration config = new Configuration();
    config.setString("stateweave.remote.max-retries", "0");
    config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
    config.set(RestOptions.BIND_PORT, "0");
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    LocalRun run = new LocalRun(config, new PrintStream(console, true, StandardCharsets.UTF_8));
    ModuleTranslator.translate(
        run.environment(), ModuleLoader.parse(UNREACHABLE_FUNCTION, "test.yaml"));

    int exitCode = run.run("failing", Duration.ofMinutes(2));

    String printed = console.toString(StandardCharsets.UTF_8);
    assertThat(exitCode).isEqualTo(LocalRun.EXIT_FAILED);
    assertThat(printed)
        .contains(
            "stateweave: the job failed: RemoteFunctionException: Remote function remote/counter"
                + " (id 'a') at http://127.0.0.1:1/counter failed after 1 attempt")
        .contains("hint: the function server must be up at that URL")
        .contains(
            "Flink did not restart it again: FixedDelayRestartBackoffTimeStrategy"
                + "(maxNumberRestartAttempts=3");
  }

  @Test
  void localDefaultsBoundRestartsAndKeepToLoopbackUnlessTheUserSaysOtherwise() {
    Configuration defaults = LocalRun.withLocalDefaults(new Configuration());
    assertThat(defaults.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("fixed-delay");
    assertThat(defaults.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS))
        .isEqualTo(3);
    assertThat(defaults.get(RestOptions.BIND_ADDRESS)).isEqualTo("127.0.0.1");

    Configuration given = new Configuration();
    given.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    given.set(RestOptions.BIND_ADDRESS, "0.0.0.0");
    Configuration kept = LocalRun.withLocalDefaults(given);
    assertThat(kept.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("none");
    assertThat(kept.get(RestOptions.BIND_ADDRESS)).isEqualTo("0.0.0.0");
  }
}
