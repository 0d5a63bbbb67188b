package io.stateweave.testinfra.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {

  private final BrokerConfig config = new BrokerConfig(19092, 19093, Path.of("/tmp/kafka-data"));

  @Test
  void everyListenerIsOnLoopback() throws IOException {
    Properties properties = parse(config.serverProperties());
    assertThat(properties.getProperty("listeners"))
        .isEqualTo("BROKER://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093");
    assertThat(properties.getProperty("advertised.listeners"))
        .isEqualTo("BROKER://127.0.0.1:19092");
    assertThat(properties.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:19093");
    assertThat(config.bootstrapServers()).isEqualTo("127.0.0.1:19092");
  }

  @Test
  void singleNodeTransactionsAndNoAutomaticTopics() throws IOException {
    Properties properties = parse(config.serverProperties());
    assertThat(properties)
        .containsEntry("process.roles", "broker,controller")
        .containsEntry("auto.create.topics.enable", "false")
        .containsEntry("offsets.topic.replication.factor", "1")
        .containsEntry("transaction.state.log.replication.factor", "1")
        .containsEntry("transaction.state.log.min.isr", "1")
        .containsEntry("group.initial.rebalance.delay.ms", "0")
        .containsEntry("transaction.max.timeout.ms", "7200000")
        .containsEntry("log.dirs", Path.of("/tmp/kafka-data").toAbsolutePath().toString());
  }

  @Test
  void checksItsArguments() {
    assertThatThrownBy(() -> new BrokerConfig(9092, 9092, Path.of("d")))
        .hasMessageContaining("different ports");
    assertThatThrownBy(() -> new BrokerConfig(0, 9093, Path.of("d")))
        .hasMessageContaining("brokerPort must be in 1..65535");
    assertThatThrownBy(() -> new BrokerConfig(9092, 9093, null))
        .isInstanceOf(NullPointerException.class);
  }

  private static Properties parse(String text) throws IOException {
    Properties properties = new Properties();
    properties.load(new StringReader(text));
    return properties;
  }
}
