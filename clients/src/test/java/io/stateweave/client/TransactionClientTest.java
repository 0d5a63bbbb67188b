package io.stateweave.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.flink.module.ModuleLoader;
import io.stateweave.flink.translation.ModuleTranslator;
import io.stateweave.sdk.entity.TransactionRequest;
import io.stateweave.sdk.entity.TransactionResult;
import io.stateweave.testinfra.kafka.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link TransactionClient} against a module.yaml job: futures complete with the job's answer,
 * committed or aborted; a request resubmitted on timeout keeps its id and runs once; an id
 * submitted again, by another client, gets its first answer.
 */
class TransactionClientTest {
  @Order(1)
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @Order(2)
  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(1)
              .build());

  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static JobClient job;

  @BeforeAll
  static void startJob() throws Exception {
    KAFKA.createTopic("requests", 1);
    KAFKA.createTopic("responses", 1);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    env.enableCheckpointing(100);
    ModuleTranslator.translate(
        env,
        ModuleLoader.parse(
            ClientBank.module(KAFKA.bootstrapServers(), "requests", "responses"), "bank.yaml"));
    job = env.executeAsync("bank for clients");
  }

  @AfterAll
  static void stopJob() throws Exception {
    if (job != null) {
      job.cancel().get();
    }
  }

  @Test
  void completesWithCommitsAndAborts() throws Exception {
    try (TransactionClient client = client(Duration.ofSeconds(30))) {
      TransactionResult deposit =
          await(client.submit(ClientBank.ACCOUNT, "deposit", "alice", 100L));
      TransactionResult transfer =
          await(client.submit(ClientBank.ACCOUNT, "transfer", "alice", "bob", 30L));
      TransactionResult overdraft =
          await(client.submit(ClientBank.ACCOUNT, "transfer", "bob", "alice", 500L));

      assertThat(deposit.committed()).isTrue();
      assertThat(deposit.value()).isEqualTo(100L);
      assertThat(transfer.committed()).isTrue();
      assertThat(transfer.value()).isEqualTo(70L);
      assertThat(overdraft.committed()).isFalse();
      assertThat(overdraft.errorClass()).isEqualTo(IllegalStateException.class.getName());
      assertThat(overdraft.errorMessage()).isEqualTo("insufficient funds in bob");
      assertThat(await(client.submit(ClientBank.ACCOUNT, "balance", "bob")).value())
          .isEqualTo(30L);
    }
  }

  @Test
  void resubmitsUnderTheSameIdUntilAnsweredAndTheJobRunsItOnce() throws Exception {
    // far shorter than an epoch's round trip: the request goes out several times
    try (TransactionClient client = client(Duration.ofMillis(1))) {
      TransactionRequest deposit =
          TransactionRequest.of("carol-deposit", ClientBank.ACCOUNT, "deposit", "carol", 10L);

      TransactionResult result = await(client.submit(deposit));

      assertThat(result.value()).isEqualTo(10L);
      assertThat(await(client.submit(ClientBank.ACCOUNT, "balance", "carol")).value())
          .isEqualTo(10L);
    }
    assertThat(
            KAFKA.readCommittedToEnd("requests").stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals("carol-deposit")))
        .as("submissions of carol-deposit")
        .hasSizeGreaterThan(1);
  }

  @Test
  void anIdSubmittedAgainGetsItsFirstAnswer() throws Exception {
    TransactionRequest deposit =
        TransactionRequest.of("dave-deposit", ClientBank.ACCOUNT, "deposit", "dave", 5L);
    TransactionResult first;
    try (TransactionClient client = client(Duration.ofSeconds(30))) {
      first = await(client.submit(deposit));
    }
    try (TransactionClient another = client(Duration.ofSeconds(30))) {
      assertThat(await(another.submit(deposit))).isEqualTo(first);
      assertThat(await(another.submit(ClientBank.ACCOUNT, "balance", "dave")).value())
          .isEqualTo(5L);
    }
  }

  @Test
  void refusesAResponseTopicThatDoesNotExist() {
    assertThatThrownBy(
            () ->
                TransactionClient.create(
                    KAFKA.bootstrapServers(), "requests", "absent", Duration.ofSeconds(1), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("No topic absent at " + KAFKA.bootstrapServers());
  }

  private static TransactionClient client(Duration resubmitAfter) {
    return TransactionClient.create(
        KAFKA.bootstrapServers(), "requests", "responses", resubmitAfter, Map.of());
  }

  private static TransactionResult await(
      java.util.concurrent.CompletableFuture<TransactionResult> future) throws Exception {
    return future.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
  }
}
