package io.stateweave.testinfra.kafka;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The one place where the broker's configuration is written: {@link KafkaBroker} uses it for tests
 * and, through its {@code main}, {@code tools/kafka/kafka.sh} for local runs.
 */
final class BrokerConfig {

  /** The only node of the cluster; it is both the broker and the single KRaft voter. */
  static final int NODE_ID = 1;

  static final String LOOPBACK = "127.0.0.1";

  /**
   * Kafka's transaction protocol version, set when the storage is formatted. Kafka 4 formats new
   * clusters with 2 (KIP-890), which bumps a producer's epoch when its transaction ends; Flink's
   * KafkaSink (connector 5.0.0-2.2) re-commits a restored transaction from a new producer that
   * sends the version 1 EndTxn with the checkpoint's epoch, so a transaction that had committed
   * before the failure is refused as PRODUCER_FENCED and logged as possible data loss. Version 1
   * answers such a repeated commit with success, as Kafka 3 did.
   */
  static final String TRANSACTION_VERSION_FEATURE = "transaction.version";

  static final short TRANSACTION_VERSION = 1;

  private final int brokerPort;
  private final int controllerPort;
  private final Path dataDir;

  BrokerConfig(int brokerPort, int controllerPort, Path dataDir) {
    this.brokerPort = checkPort(brokerPort, "brokerPort");
    this.controllerPort = checkPort(controllerPort, "controllerPort");
    if (brokerPort == controllerPort) {
      throw new IllegalArgumentException(
          "broker and controller need different ports, both are " + brokerPort);
    }
    this.dataDir = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath();
  }

  String bootstrapServers() {
    return LOOPBACK + ":" + brokerPort;
  }

  /** The text of server.properties. */
  String serverProperties() {
    return String.join(
        "\n",
        "# written by io.stateweave.testinfra.kafka.BrokerConfig; rewritten at every start",
        "",
        "# one combined KRaft node: broker and the only controller (Kafka 4 has no ZooKeeper)",
        "process.roles=broker,controller",
        "node.id=" + NODE_ID,
        // a static voter set: 'format' then needs no --standalone and the controller port
        // may change between restarts of a kept data directory
        "controller.quorum.voters=" + NODE_ID + "@" + LOOPBACK + ":" + controllerPort,
        "",
        "# loopback only: nothing outside this machine can reach the broker",
        "listeners=BROKER://"
            + LOOPBACK
            + ":"
            + brokerPort
            + ",CONTROLLER://"
            + LOOPBACK
            + ":"
            + controllerPort,
        "advertised.listeners=BROKER://" + LOOPBACK + ":" + brokerPort,
        "listener.security.protocol.map=BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name=BROKER",
        "controller.listener.names=CONTROLLER",
        "",
        "log.dirs=" + dataDir,
        "",
        "# topics exist only when a test or a deployment creates them: a typo fails loudly",
        "auto.create.topics.enable=false",
        "num.partitions=1",
        "",
        "# a single node can hold one replica of everything, internal topics included",
        "default.replication.factor=1",
        "min.insync.replicas=1",
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        // few partitions for the internal topics: created on first use, 50 each by
        // default, which costs seconds on a small machine for nothing
        "offsets.topic.num.partitions=1",
        "transaction.state.log.num.partitions=1",
        "",
        "# consumers in tests get their partitions at once instead of after 3 s",
        "group.initial.rebalance.delay.ms=0",
        "",
        "# Flink's exactly-once KafkaSink asks for transaction.timeout.ms = 1 h; the broker",
        "# default maximum of 15 min would refuse its producers (InvalidTxnTimeoutException)",
        "transaction.max.timeout.ms=7200000",
        "",
        "# the log cleaner (compacted internal topics) needs far less than the default 128 MiB",
        "log.cleaner.dedupe.buffer.size=16777216",
        "");
  }

  /**
   * The text of a Log4j 2 properties file: everything at INFO to standard output, which {@link
   * KafkaBroker} sends to the broker's log file together with anything the JVM prints.
   */
  static String log4j2Properties() {
    return String.join(
        "\n",
        "# written by io.stateweave.testinfra.kafka.BrokerConfig",
        "status = warn",
        "# Kafka logs its own shutdown from a JVM shutdown hook; Log4j's hook would stop",
        "# logging in the middle of it",
        "shutdownHook = disable",
        "appender.out.type = Console",
        "appender.out.name = out",
        "appender.out.layout.type = PatternLayout",
        "appender.out.layout.pattern = [%d] %p %m (%c)%n",
        "rootLogger.level = info",
        "rootLogger.appenderRef.out.ref = out",
        "# one line per request at INFO otherwise",
        "logger.request.name = kafka.request.logger",
        "logger.request.level = warn",
        "");
  }

  private static int checkPort(int port, String name) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(name + " must be in 1..65535, was " + port);
    }
    return port;
  }
}
