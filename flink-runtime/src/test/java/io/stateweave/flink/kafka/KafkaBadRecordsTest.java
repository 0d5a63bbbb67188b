package io.stateweave.flink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.flink.egress.CollectedEgress;
import io.stateweave.flink.ingress.DeadLetter;
import io.stateweave.flink.module.ModuleLoader;
import io.stateweave.flink.translation.ModuleTranslator;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.types.Types;
import io.stateweave.testinfra.kafka.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Records that cannot be delivered — no key, a value that does not decode as the topic's type — are
 * counted and then fail the job or go to the dead-letter egress; never dropped silently.
 */
class KafkaBadRecordsTest {
  @Order(1)
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @Order(2)
  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .setConfiguration(reporter())
              .build());

  private static final TypeName DEAD = TypeName.parse("test/dead");

  @BeforeAll
  static void topicWithBadRecords() {
    KAFKA.createTopic("mixed", 1);
    KAFKA.send(
        new ProducerRecord<>("mixed", utf8("k1"), Types.STRING.serialize("ok1")),
        new ProducerRecord<>("mixed", null, Types.STRING.serialize("keyless")),
        // plain text is not a StateFun string (a protobuf wrapper): it does not decode
        new ProducerRecord<>("mixed", utf8("k3"), utf8("AB")),
        new ProducerRecord<>("mixed", utf8("k4"), Types.STRING.serialize("ok4")));
  }

  @BeforeEach
  void reset() {
    CollectedEgress.clear();
    CapturingReporter.BAD_RECORDS.clear();
  }

  @Test
  void deadLetterPolicySendsBadRecordsToTheEgressAndCountsThem() throws Exception {
    Configuration config = new Configuration();
    config.setString("stateweave.bad-records", "dead-letter");
    config.setString("stateweave.dead-letter-egress", DEAD.canonical());
    JobClient job = start(config, "dead-letter");
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (CollectedEgress.size(Echo.SEEN) < 2 || CollectedEgress.size(DEAD) < 2) {
        assertThat(System.nanoTime())
            .as("records delivered and dead-lettered")
            .isLessThan(deadline);
        Thread.sleep(50);
      }
      Thread.sleep(1_000);
    } finally {
      job.cancel().get();
    }
    assertThat(texts(Echo.SEEN)).containsExactly("k1:ok1", "k4:ok4");
    List<DeadLetter> letters =
        CollectedEgress.records(DEAD).stream()
            .map(value -> DeadLetter.TYPE.deserialize(value.bytes()))
            .collect(Collectors.toList());
    assertThat(letters).hasSize(2);
    assertThat(letters.get(0).origin).isEqualTo("topic mixed, partition 0, offset 1");
    assertThat(letters.get(0).reason).contains("has no key");
    assertThat(letters.get(1).origin).isEqualTo("topic mixed, partition 0, offset 2");
    assertThat(letters.get(1).key).isEqualTo("k3");
    assertThat(letters.get(1).reason).contains("does not decode as io.statefun.types/string");
    assertThat(letters).allSatisfy(letter -> assertThat(letter.ingress).isEqualTo("test/mixed"));
    assertThat(CapturingReporter.badRecords()).isEqualTo(2);
  }

  @Test
  void failPolicyFailsTheJobNamingTheRecord() throws Exception {
    Configuration config = new Configuration();
    config.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    JobClient job = start(config, "fail");
    assertThatThrownBy(() -> job.getJobExecutionResult().get())
        .satisfies(
            error ->
                assertThat(ExceptionUtils.stringifyException(error))
                    .contains("Cannot deliver a record from ingress test/mixed")
                    .contains("topic mixed, partition 0, offset 1")
                    .contains("has no key")
                    .contains("stateweave.bad-records"));
    assertThat(CapturingReporter.badRecords()).isEqualTo(1);
  }

  private static JobClient start(Configuration config, String group) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    env.setParallelism(1);
    env.enableCheckpointing(200);
    String module =
        """
        kind: io.stateweave.functions.v1/java
        spec:
          functions:
            - {type: test/echo, class: io.stateweave.flink.kafka.Echo}
        ---
        kind: io.stateweave.egress.v1/collecting
        spec: {id: test/seen}
        ---
        kind: io.stateweave.egress.v1/collecting
        spec: {id: test/dead}
        ---
        kind: io.stateweave.egress.v1/stdout
        spec: {id: test/kafka}
        ---
        kind: io.statefun.kafka.v1/ingress
        spec:
          id: test/mixed
          address: %s
          consumerGroupId: %s
          startupPosition: {type: earliest}
          topics:
            - topic: mixed
              valueType: io.statefun.types/string
              targets: [test/echo]
        """
            .formatted(KAFKA.bootstrapServers(), group);
    ModuleTranslator.translate(env, ModuleLoader.parse(module, "bad-records.yaml"));
    return env.executeAsync("bad records " + group);
  }

  private static Configuration reporter() {
    Configuration config = new Configuration();
    config.setString(
        "metrics.reporter.capture.factory.class", CapturingReporter.Factory.class.getName());
    return config;
  }

  private static List<String> texts(TypeName egress) {
    return CollectedEgress.records(egress).stream()
        .map(value -> Types.STRING.deserialize(value.bytes()))
        .collect(Collectors.toList());
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
