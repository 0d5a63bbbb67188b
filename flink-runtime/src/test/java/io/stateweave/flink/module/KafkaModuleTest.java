package io.stateweave.flink.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.flink.module.KafkaIngressSpec.StartupPosition;
import io.stateweave.sdk.TypeName;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaModuleTest {

  @Test
  void loadsTheModuleOfStateFunsDocumentationUnchanged() {
    ModuleSpec module =
        ModuleLoader.load("classpath:io/stateweave/flink/module/statefun-docs-module.yaml");

    KafkaIngressSpec ingress = (KafkaIngressSpec) module.ingresses().get(0);
    assertThat(ingress.id()).isEqualTo(TypeName.parse("com.example/my-ingress"));
    assertThat(ingress.address()).isEqualTo("kafka-broker:9092");
    assertThat(ingress.consumerGroupId()).isEqualTo("my-consumer-group");
    assertThat(ingress.topics())
        .containsExactly(
            new KafkaIngressSpec.Topic(
                "message-topic",
                TypeName.parse("io.statefun.types/string"),
                List.of(TypeName.parse("com.example/greeter"))));
    assertThat(ingress.startupPosition().type()).isEqualTo(StartupPosition.Type.GROUP_OFFSETS);
    assertThat(ingress.autoOffsetResetPosition())
        .isEqualTo(KafkaIngressSpec.AutoOffsetReset.LATEST);
    assertThat(ingress.routes())
        .isEqualTo(
            Map.of(
                TypeName.parse("com.example/my-ingress/message-topic"),
                List.of(TypeName.parse("com.example/greeter"))));

    KafkaEgressSpec egress = (KafkaEgressSpec) module.egresses().get(0);
    assertThat(egress.deliverySemantic()).isEqualTo(KafkaEgressSpec.DeliverySemantic.EXACTLY_ONCE);
    assertThat(egress.transactionTimeout()).isEqualTo(Duration.ofMinutes(15));
    assertThat(egress.defaultTopic()).isNull();
  }

  @Test
  void readsEveryStartupPositionAndProperties() {
    assertThat(startup("{type: earliest}").type()).isEqualTo(StartupPosition.Type.EARLIEST);
    assertThat(startup("{type: latest}").type()).isEqualTo(StartupPosition.Type.LATEST);
    assertThat(startup("{type: group-offsets}").type())
        .isEqualTo(StartupPosition.Type.GROUP_OFFSETS);
    StartupPosition specific =
        startup("\n    type: specific-offsets\n    offsets:\n      - in/0: 91\n      - in/1: 11");
    assertThat(specific.type()).isEqualTo(StartupPosition.Type.SPECIFIC_OFFSETS);
    assertThat(specific.offsets()).isEqualTo(Map.of("in/0", 91L, "in/1", 11L));
    StartupPosition date = startup("\n    type: date\n    date: 2020-02-01 04:15:00.00 Z");
    assertThat(date.type()).isEqualTo(StartupPosition.Type.DATE);
    assertThat(Instant.ofEpochMilli(date.epochMillis()))
        .isEqualTo(Instant.parse("2020-02-01T04:15:00Z"));
  }

  @Test
  void rejectsAnUnknownStartupPositionNamingTheField() {
    assertThatThrownBy(() -> startup("{type: yesterday}"))
        .isInstanceOf(ModuleSpecException.class)
        .hasMessageContaining("field 'spec.startupPosition.type'")
        .hasMessageContaining("group-offsets")
        .hasMessageContaining("'yesterday'");
  }

  @Test
  void readsEgressDeliverySemanticsAndOurDefaultTopic() {
    KafkaEgressSpec egress =
        (KafkaEgressSpec)
            ModuleLoader.parse(
                    """
                    kind: io.stateweave.functions.v1/java
                    spec:
                      functions: [{class: io.stateweave.flink.module.TestFunctions$Greeter}]
                    ---
                    kind: io.statefun.kafka.v1/egress
                    spec:
                      id: example/out
                      address: localhost:9092
                      defaultTopic: greetings
                      deliverySemantic:
                        type: at-least-once
                      properties:
                        - linger.ms: 5
                    """,
                    "test.yaml")
                .egresses()
                .get(0);
    assertThat(egress.deliverySemantic()).isEqualTo(KafkaEgressSpec.DeliverySemantic.AT_LEAST_ONCE);
    assertThat(egress.defaultTopic()).isEqualTo("greetings");
    assertThat(egress.properties()).isEqualTo(Map.of("linger.ms", "5"));
  }

  private static StartupPosition startup(String yaml) {
    KafkaIngressSpec ingress =
        (KafkaIngressSpec)
            ModuleLoader.parse(
                    """
                    kind: io.statefun.kafka.v1/ingress
                    spec:
                      id: example/in
                      address: localhost:9092
                      consumerGroupId: g
                      topics:
                        - topic: in
                          valueType: io.statefun.types/string
                          targets: [example/greeter]
                      properties:
                        - max.poll.records: 10
                    """
                        + "  startupPosition: "
                        + yaml
                        + "\n",
                    "test.yaml")
                .ingresses()
                .get(0);
    assertThat(ingress.properties()).isEqualTo(Map.of("max.poll.records", "10"));
    return ingress.startupPosition();
  }
}
