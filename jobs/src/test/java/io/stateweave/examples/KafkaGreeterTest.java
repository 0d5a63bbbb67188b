package io.stateweave.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.module.ModuleLoader;
import io.stateweave.flink.translation.ModuleTranslator;
import io.stateweave.sdk.types.Types;
import io.stateweave.testinfra.kafka.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The greeter between two Kafka topics, and StateFun's documented Kafka ingress and egress
 * documents, copied as they are (only the broker's address differs), in the same job.
 */
class KafkaGreeterTest {
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
              .build());

  /** From StateFun's documentation (Modules page), byte for byte but for the address. */
  private static final String STATEFUN_DOCS_KAFKA =
      """
      kind: io.statefun.kafka.v1/ingress
      spec:
        id: com.example/my-ingress
        address: kafka-broker:9092
        consumerGroupId: my-consumer-group
        topics:
          - topic: message-topic
            valueType: io.statefun.types/string
            targets:
              - com.example/greeter
      ---
      kind: io.statefun.kafka.v1/egress
      spec:
        id: com.example/my-egress
        address: kafka-broker:9092
        deliverySemantic:
          type: exactly-once
          transactionTimeout: 15min
      """;

  @Test
  void greeterReadsAndWritesKafkaAndTheDocumentedModuleRuns() throws Exception {
    for (String topic : List.of("names", "greetings", "message-topic", "greetings-docs")) {
      KAFKA.createTopic(topic, 1);
    }
    // what reaches one partition in order is greeted in order: the exact sequence is known
    List<String> names = List.of("Alice", "Bob", "Alice", "Alice", "Bob", "Alice", "Alice");
    for (String name : names) {
      produce("names", name.toLowerCase(), name);
    }

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    env.enableCheckpointing(200);
    String module =
        """
        kind: io.stateweave.functions.v1/java
        spec:
          providers: [io.stateweave.examples.Examples]
          functions:
            - {type: com.example/greeter, class: io.stateweave.examples.DocsGreeter}
        ---
        kind: io.statefun.kafka.v1/ingress
        spec:
          id: example/names
          address: %1$s
          consumerGroupId: greeter
          startupPosition: {type: earliest}
          topics:
            - topic: names
              valueType: io.statefun.types/string
              targets: [example/hello]
        ---
        kind: io.statefun.kafka.v1/egress
        spec:
          id: example/greetings
          address: %1$s
          defaultTopic: greetings
          deliverySemantic: {type: exactly-once, transactionTimeout: 1min}
        ---
        """
                .formatted(KAFKA.bootstrapServers())
            + STATEFUN_DOCS_KAFKA.replace("kafka-broker:9092", KAFKA.bootstrapServers());
    ModuleTranslator.translate(env, ModuleLoader.parse(module, "kafka-greeter.yaml"));
    JobClient job = env.executeAsync("greeter on kafka");
    try {
      List<String> greetings =
          read("greetings", 7, record -> Types.STRING.deserialize(record.value()));
      assertThat(greetings)
          .containsExactlyInAnyOrder(
              "Hello Alice",
              "Hello Bob",
              "Hello again!",
              "Third time's the charm",
              "Hello again!",
              "Hello for the 4th time",
              "Hello for the 5th time");
      // per user, in order: Alice's greetings are the only ones naming her or counting past two
      assertThat(
              greetings.stream().filter(g -> !g.equals("Hello Bob") && !g.equals("Hello again!")))
          .containsExactly(
              "Hello Alice",
              "Third time's the charm",
              "Hello for the 4th time",
              "Hello for the 5th time");

      // the documented ingress starts at the group's offsets, else at the latest: it is running
      // by now, since the greeter's records went through a completed checkpoint
      produce("message-topic", "user-1", "Gordon");
      assertThat(read("greetings-docs", 1, r -> utf8(r.key()) + "=" + utf8(r.value())))
          .containsExactly("user-1=Hello Gordon");
    } finally {
      job.cancel().get();
    }
  }

  private static void produce(String topic, String key, String value) {
    KAFKA.send(
        new ProducerRecord<>(
            topic, key.getBytes(StandardCharsets.UTF_8), Types.STRING.serialize(value)));
  }

  private static List<String> read(
      String topic, int count, Function<ConsumerRecord<byte[], byte[]>, String> format) {
    return KAFKA.readCommitted(topic, count).stream().map(format).collect(Collectors.toList());
  }

  private static String utf8(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }
}
