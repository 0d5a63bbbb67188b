package io.stateweave.flink.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.module.ModuleLoader;
import io.stateweave.flink.remote.v2.examples.GreetRequest;
import io.stateweave.flink.remote.v2.examples.GreetResponse;
import io.stateweave.flink.translation.ModuleTranslator;
import io.stateweave.testinfra.kafka.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The StateFun 2.x Python greeter example, Kafka to Kafka: its module.yaml as upstream wrote it
 * (only the broker and function addresses substituted), GreetRequests on the topic {@code names}
 * through {@code statefun.kafka.io/routable-protobuf-ingress}, the greeter's {@code
 * kafka_egress_record}s through {@code statefun.kafka.io/generic-egress} exactly-once to {@code
 * greetings}.
 */
class StatefunV2KafkaGreeterTest {
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

  /** statefun-python-greeter-example/module.yaml of StateFun 2.0. */
  private static final String UPSTREAM_MODULE =
      """
      version: "1.0"
      module:
        meta:
          type: remote
        spec:
          functions:
            - function:
                meta:
                  kind: http
                  type: example/greeter
                spec:
                  endpoint: http://python-worker:8000/statefun
                  states:
                    - seen_count
                  maxNumBatchRequests: 500
                  timeout: 2min
          ingresses:
            - ingress:
                meta:
                  type: statefun.kafka.io/routable-protobuf-ingress
                  id: example/names
                spec:
                  address: kafka-broker:9092
                  consumerGroupId: my-group-id
                  topics:
                    - topic: names
                      typeUrl: com.googleapis/example.GreetRequest
                      targets:
                        - example/greeter
          egresses:
            - egress:
                meta:
                  type: statefun.kafka.io/generic-egress
                  id: example/greets
                spec:
                  address: kafka-broker:9092
                  deliverySemantic:
                    type: exactly-once
                    transactionTimeoutMillis: 100000
      """;

  private PythonSdkV2Server server;
  private JobClient job;

  @AfterEach
  void stop() throws Exception {
    if (job != null) {
      job.cancel().get();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void greeterExampleRunsKafkaToKafka() throws Exception {
    KAFKA.createTopic("names", 1);
    KAFKA.createTopic("greetings", 1);
    server = PythonSdkV2Server.start(SeedFunctionsV2.all());
    String module =
        UPSTREAM_MODULE
            .replace("kafka-broker:9092", KAFKA.bootstrapServers())
            .replace("http://python-worker:8000/statefun", server.url("/statefun"));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    env.enableCheckpointing(200);
    ModuleTranslator.translate(env, ModuleLoader.parse(module, "module.yaml"));
    job = env.executeAsync("statefun 2.x greeter");

    // the ingress starts at the latest offsets, as the example's group has none: greet newcomers
    // until one is greeted, then the names whose greetings the test checks
    awaitReading();
    for (String name : List.of("alice", "bob", "alice", "alice")) {
      produce(name);
    }

    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (greetings().size() < 4 && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    Thread.sleep(2_000); // a greeting given twice has time to show
    List<String> greetings = greetings();
    assertThat(greetings)
        .containsExactlyInAnyOrder(
            "alice: Welcome alice",
            "bob: Welcome bob",
            "alice: Nice to see you again alice",
            "alice: Third time is a charm alice");
    assertThat(greetings.stream().filter(text -> text.startsWith("alice")))
        .containsExactly(
            "alice: Welcome alice",
            "alice: Nice to see you again alice",
            "alice: Third time is a charm alice");
  }

  /** The committed greetings of the test's names, not of the newcomers. */
  private static List<String> greetings() {
    return KAFKA.readCommittedToEnd("greetings").stream()
        .filter(record -> !key(record).startsWith("newcomer"))
        .map(StatefunV2KafkaGreeterTest::text)
        .toList();
  }

  private static void awaitReading() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    for (int i = 1; ; i++) {
      produce("newcomer-" + i);
      Thread.sleep(500);
      if (!KAFKA.readCommittedToEnd("greetings").isEmpty()) {
        return;
      }
      assertThat(System.nanoTime()).as("a newcomer greeted").isLessThan(deadline);
    }
  }

  private static void produce(String name) {
    KAFKA.send(
        new ProducerRecord<>(
            "names",
            name.getBytes(StandardCharsets.UTF_8),
            GreetRequest.newBuilder().setName(name).build().toByteArray()));
  }

  private static String key(ConsumerRecord<byte[], byte[]> record) {
    return new String(record.key(), StandardCharsets.UTF_8);
  }

  private static String text(ConsumerRecord<byte[], byte[]> record) {
    try {
      return key(record) + ": " + GreetResponse.parseFrom(record.value()).getGreeting();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
