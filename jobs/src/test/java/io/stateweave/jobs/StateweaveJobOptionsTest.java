package io.stateweave.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --module}: the packed module by default, else the given files, in order. */
class StateweaveJobOptionsTest {

  @Test
  void withoutModuleThePackedOne() {
    StateweaveJob job = new StateweaveJob();
    new CommandLine(job).parseArgs();

    assertThat(job.modules).containsExactly("classpath:module.yaml");
  }

  @Test
  void repeatedModuleGivesEveryFileInstead() {
    StateweaveJob job = new StateweaveJob();
    new CommandLine(job).parseArgs("--module", "v2/module.yaml", "--module", "module.yaml");

    assertThat(job.modules).containsExactly("v2/module.yaml", "module.yaml");
  }
}
