package io.stateweave.flink.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stateweave.sdk.TypeName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.MemorySize;
import org.junit.jupiter.api.Test;

/**
 * The module kinds of transactions: {@code io.stateweave.entities.v1/java} names entity providers,
 * {@code io.stateweave.transactions.v1/kafka} the request and response topics; mistakes name the
 * file, the document and the field.
 */
class TransactionsModuleTest {
  private static final String SOURCE = "txn.yaml";
  private static final String ENTITIES =
      """
      kind: io.stateweave.entities.v1/java
      spec:
        providers: [io.stateweave.flink.module.TestEntities$Bank]
      """;
  private static final String KAFKA =
      """
      kind: io.stateweave.transactions.v1/kafka
      spec:
        id: bank/transactions
        address: 127.0.0.1:9092
        requestTopic: requests
        responseTopic: responses
        consumerGroupId: bank
      """;

  @Test
  void entityProvidersAndKafkaTopicsWithDefaults() {
    ModuleSpec module = ModuleLoader.parse(ENTITIES + "---\n" + KAFKA, SOURCE);

    assertThat(module.entities())
        .containsExactly(new EntitiesSpec(List.of(TestEntities.Bank.class.getName())));
    assertThat(module.entities().get(0).entities().types())
        .containsOnlyKeys(TypeName.parse("bank/account"));
    assertThat(module.transactions())
        .containsExactly(
            new TransactionsKafkaSpec(
                TypeName.parse("bank/transactions"),
                "127.0.0.1:9092",
                "requests",
                "responses",
                "bank",
                KafkaIngressSpec.StartupPosition.of(
                    KafkaIngressSpec.StartupPosition.Type.GROUP_OFFSETS),
                Duration.ofMinutes(15),
                1_000,
                Duration.ofMillis(10),
                Duration.ofDays(7),
                MemorySize.parse("32mb"),
                Map.of()));
  }

  @Test
  void everyKafkaSetting() {
    ModuleSpec module =
        ModuleLoader.parse(
            ENTITIES
                + "---\n"
                + KAFKA
                + """
                  startupPosition: {type: earliest}
                  transactionTimeout: 1min
                  epoch: {maxSize: 50, maxDelay: 20ms}
                  answerRetention: 2d
                  entityCache: 1gb
                  properties:
                    - max.poll.records: 100
                """,
            SOURCE);

    TransactionsKafkaSpec spec = module.transactions().get(0);
    assertThat(spec.startupPosition().type())
        .isEqualTo(KafkaIngressSpec.StartupPosition.Type.EARLIEST);
    assertThat(spec.transactionTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(spec.epochMaxSize()).isEqualTo(50);
    assertThat(spec.epochMaxDelay()).isEqualTo(Duration.ofMillis(20));
    assertThat(spec.answerRetention()).isEqualTo(Duration.ofDays(2));
    assertThat(spec.entityCache()).isEqualTo(MemorySize.ofMebiBytes(1024));
    assertThat(spec.properties()).containsExactly(Map.entry("max.poll.records", "100"));
  }

  @Test
  void providerThatIsNotAProvider() {
    ModuleSpecException e =
        fails(ENTITIES.replace("TestEntities$Bank", "TestEntities$NotAProvider") + "---\n" + KAFKA);

    assertThat(e)
        .hasMessage(
            SOURCE
                + ": document 1 (io.stateweave.entities.v1/java): field 'spec.providers[0]': class"
                + " io.stateweave.flink.module.TestEntities$NotAProvider does not implement"
                + " io.stateweave.sdk.entity.Entities$Provider");
    assertThat(e.field()).isEqualTo("spec.providers[0]");
  }

  @Test
  void entityTypeOfTwoProviders() {
    assertThat(fails(ENTITIES + "---\n" + KAFKA + "---\n" + ENTITIES))
        .hasMessage(
            SOURCE
                + ": document 3 (io.stateweave.entities.v1/java): field 'spec.providers[0]':"
                + " expected a unique entity type, got bank/account which document 1 already"
                + " binds");
  }

  @Test
  void missingRequestTopic() {
    assertThat(fails(ENTITIES + "---\n" + KAFKA.replace("  requestTopic: requests\n", "")))
        .hasMessage(
            SOURCE
                + ": document 2 (io.stateweave.transactions.v1/kafka): field 'spec.requestTopic':"
                + " expected a topic name, got nothing");
  }

  @Test
  void answersToTheRequestTopic() {
    assertThat(fails(ENTITIES + "---\n" + KAFKA.replace("responses", "requests")))
        .hasMessage(
            SOURCE
                + ": document 2 (io.stateweave.transactions.v1/kafka): field 'spec.responseTopic':"
                + " expected a topic other than requestTopic, got 'requests'");
  }

  @Test
  void unknownField() {
    assertThat(fails(ENTITIES + "---\n" + KAFKA + "  requestsTopic: typo\n"))
        .hasMessage(
            SOURCE
                + ": document 2 (io.stateweave.transactions.v1/kafka): field 'spec.requestsTopic':"
                + " expected one of [id, address, requestTopic, responseTopic, consumerGroupId,"
                + " startupPosition, transactionTimeout, epoch, answerRetention, entityCache,"
                + " properties], got unknown field"
                + " 'requestsTopic'");
  }

  @Test
  void entityCacheThatIsNotAMemorySize() {
    assertThat(fails(ENTITIES + "---\n" + KAFKA + "  entityCache: lots\n"))
        .hasMessageStartingWith(
            SOURCE
                + ": document 2 (io.stateweave.transactions.v1/kafka): field 'spec.entityCache':"
                + " expected a memory size such as 0, 512kb, 32mb or 1gb (");
  }

  @Test
  void twoSourcesOfRequests() {
    assertThat(fails(ENTITIES + "---\n" + KAFKA + "---\n" + KAFKA.replace("bank/t", "bank/u")))
        .hasMessage(
            SOURCE
                + ": document 3 (io.stateweave.transactions.v1/kafka): expected one transactions"
                + " component per module, got a second; document 2 already defines"
                + " bank/transactions");
  }

  @Test
  void requestsWithoutEntities() {
    assertThat(fails(KAFKA))
        .hasMessage(
            SOURCE
                + ": document 1 (io.stateweave.transactions.v1/kafka): expected entity types to"
                + " run the transactions, got none: add an io.stateweave.entities.v1/java"
                + " document");
  }

  @Test
  void entitiesWithoutRequests() {
    assertThat(fails(ENTITIES))
        .hasMessage(
            SOURCE
                + ": document 1 (io.stateweave.entities.v1/java): expected a source of"
                + " transaction requests for these entity types, got none: add an"
                + " io.stateweave.transactions.v1/kafka document");
  }

  private static ModuleSpecException fails(String yaml) {
    return catchThrowableOfType(
        ModuleSpecException.class, () -> ModuleLoader.parse(yaml, SOURCE));
  }
}
