package io.stateweave.jobs;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Inside the JobManager a refused job is an exception with the reason, never System.exit. */
class JobManagerEntryTest {
  @Test
  void aBadModuleIsThrownWithItsMessageRatherThanExitingTheJvm() {
    // reaching the assertion at all proves the JVM was not exited
    assertThatThrownBy(
            () -> JobManagerEntry.main(new String[] {"--module", "/no/such/module.yaml"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stateweave: /no/such/module.yaml")
        .hasMessageContaining("expected a module file, got no such file");
  }

  @Test
  void anUnknownOptionIsThrownWithTheUsage() {
    assertThatThrownBy(() -> JobManagerEntry.main(new String[] {"--no-such-option"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown option: '--no-such-option'");
  }
}
