package io.stateweave.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClusterYcsbtBenchmarkTest {
  @Test
  void theModuleNamesTheProviderAndBothTopics() {
    String module = ClusterYcsbtBenchmark.module("127.0.0.1:9092");

    assertThat(module)
        .contains("providers: [" + YcsbtAccountsProvider.class.getName() + "]")
        .contains("address: 127.0.0.1:9092")
        .contains("requestTopic: ycsbt-requests")
        .contains("responseTopic: ycsbt-responses");
    assertThat(new YcsbtAccountsProvider().entities().types()).containsKey(YcsbtAccounts.TYPE);
  }

  @Test
  void argumentsDefaultToBothDistributionsAndASecondsCheckpoint() {
    ClusterYcsbtBenchmark.Options defaults = ClusterYcsbtBenchmark.Options.parse(new String[0]);
    ClusterYcsbtBenchmark.Options given =
        ClusterYcsbtBenchmark.Options.parse(
            new String[] {
              "--distributions", "zipf", "--checkpoint-ms", "250", "--repeat", "3",
              "--latency-share", "0.25"
            });

    assertThat(defaults.distributions())
        .containsExactly(Transfers.Distribution.UNIFORM, Transfers.Distribution.ZIPF);
    assertThat(defaults.checkpointMs()).isEqualTo(1000);
    assertThat(given.distributions()).containsExactly(Transfers.Distribution.ZIPF);
    assertThat(given.checkpointMs()).isEqualTo(250);
    assertThat(given.repeat()).isEqualTo(3);
    assertThat(defaults.latencyShare()).isEqualTo(0.5);
    assertThat(given.latencyShare()).isEqualTo(0.25);
    assertThatThrownBy(
            () -> ClusterYcsbtBenchmark.Options.parse(new String[] {"--measure-seconds", "0"}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> ClusterYcsbtBenchmark.Options.parse(new String[] {"--latency-share", "1.5"}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
