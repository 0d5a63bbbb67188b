package io.stateweave.flink.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stateweave.flink.module.ModuleLoader;
import io.stateweave.flink.translation.ModuleTranslator;
import io.stateweave.sdk.entity.TransactionRequest;
import io.stateweave.sdk.entity.TransactionResult;
import io.stateweave.testinfra.kafka.KafkaBrokerExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A module.yaml job that answers transactions Kafka to Kafka: every submission of a request id is
 * answered exactly once on the response topic as a read_committed consumer sees it, also across a
 * failure and restore; a resubmitted id gets the first answer again; the answers agree with a
 * serial replay of the requests in the reported order. A request record without a key has no one
 * to answer: it fails the job, or goes to the dead-letter egress, by {@code
 * stateweave.bad-records}.
 */
class KafkaTransactionsJobTest {
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

  private static final int ACCOUNTS = 20;
  private static final long INITIAL_BALANCE = 100;
  private static final int TRANSFERS_PER_PHASE = 300;
  /** Every this many transfers, one is sent twice in a row. */
  private static final int RESUBMIT_EVERY = 10;

  private final Random random = new Random(15);
  private final Map<String, TransactionRequest> requests = new LinkedHashMap<>();
  private final Map<String, Integer> submissions = new HashMap<>();
  private final List<ProducerRecord<byte[], byte[]>> unsent = new ArrayList<>();

  @Test
  void answersEachSubmissionOnceWithTheFirstOutcomeAcrossARestore() throws Exception {
    KAFKA.createTopic("bank-requests", 2);
    KAFKA.createTopic("bank-responses", 2);
    KAFKA.createTopic("bank-dead-letters", 1);
    KafkaBankEntities.reset();
    Configuration config = new Configuration();
    config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
    config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
    config.setString("stateweave.bad-records", "dead-letter");
    config.setString("stateweave.dead-letter-egress", "bank/dead-letters");
    JobClient job =
        start(
            config,
            2,
            transactions("bank/transactions", "bank")
                + """
                ---
                kind: io.statefun.kafka.v1/egress
                spec:
                  id: bank/dead-letters
                  address: %s
                  deliverySemantic: {type: exactly-once, transactionTimeout: 1min}
                  defaultTopic: bank-dead-letters
                """
                    .formatted(KAFKA.bootstrapServers()));
    try {
      List<String> deposits = new ArrayList<>();
      for (int i = 0; i < ACCOUNTS; i++) {
        deposits.add(submit(deposit("d" + i, account(i), INITIAL_BALANCE)));
      }
      List<String> firstPhase = transfers("a");
      // answers are visible once a checkpoint committed them: what follows restores from there
      awaitAnswers(submissionCount());
      // the epochs before the crash are answered, in Kafka, but not yet committed
      transfers("b");
      submit(TransactionRequest.of("crash", KafkaBankEntities.ACCOUNT, "crash", account(0)));
      for (int i = 0; i < firstPhase.size(); i += RESUBMIT_EVERY) {
        submit(requests.get(firstPhase.get(i)));
      }
      submit(requests.get(deposits.get(0)));
      awaitAnswers(submissionCount());
      for (int i = 0; i < ACCOUNTS; i++) {
        submit(TransactionRequest.of("balance" + i, KafkaBankEntities.ACCOUNT, "balance", account(i)));
      }
      // not requests: one is answered under its key with why, the keyless one is a dead letter
      unsent.add(
          new ProducerRecord<>(
              "bank-requests", "garbled".getBytes(StandardCharsets.UTF_8), new byte[] {1}));
      byte[] keyless = bytes(deposit("keyless", "acc0", 1));
      unsent.add(new ProducerRecord<>("bank-requests", null, keyless));

      List<TransactionResult> answers = new ArrayList<>(awaitAnswers(submissionCount() + 1));
      List<TransactionResult> rejections =
          answers.stream().filter(answer -> answer.requestId().equals("garbled")).toList();
      assertThat(rejections).hasSize(1);
      assertThat(rejections.get(0).committed()).isFalse();
      assertThat(rejections.get(0).transactionId()).isZero();
      assertThat(rejections.get(0).errorClass())
          .isEqualTo(IllegalArgumentException.class.getName());
      assertThat(rejections.get(0).errorMessage())
          .startsWith("record bank-requests/")
          .endsWith(
              " with key 'garbled' is not a transaction request: its value is not"
                  + " TransactionRequest.write's bytes (java.io.EOFException)");
      answers.removeAll(rejections);

      assertThat(KafkaBankEntities.crashed()).as("the failure was injected").isTrue();
      assertThat(recordsWrittenIncludingAborted())
          .as("answers written before the failure, then aborted with their Kafka transaction")
          .isGreaterThan(answers.size());
      Map<String, List<TransactionResult>> byId =
          answers.stream().collect(Collectors.groupingBy(TransactionResult::requestId));
      assertThat(byId.keySet()).containsExactlyInAnyOrderElementsOf(requests.keySet());
      byId.forEach(
          (id, answered) -> {
            assertThat(answered).as("answers to %s", id).hasSize(submissions.get(id));
            assertThat(answered).as("answers to %s", id).containsOnly(answered.get(0));
          });
      List<TransactionResult> firsts =
          byId.values().stream()
              .map(answered -> answered.get(0))
              .sorted(Comparator.comparingLong(TransactionResult::sequence))
              .toList();
      assertThat(firsts)
          .extracting(TransactionResult::sequence)
          .as("one place in the serial order per request")
          .doesNotHaveDuplicates();
      assertSerialReplayGives(firsts);
      assertThat(byId.get("crash").get(0).value()).isEqualTo("recovered");
      assertThat(firsts).filteredOn(r -> !r.committed()).hasSizeGreaterThan(10);

      ConsumerRecord<byte[], byte[]> keylessRecord =
          KAFKA.readCommittedToEnd("bank-requests").stream()
              .filter(record -> record.key() == null)
              .findFirst()
              .orElseThrow();
      List<Map<?, ?>> deadLetters = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> record : KAFKA.readCommitted("bank-dead-letters", 1)) {
        deadLetters.add(new ObjectMapper().readValue(record.value(), Map.class));
      }
      assertThat(deadLetters)
          .containsExactly(
              Map.of(
                  "ingress", "bank/transactions",
                  "origin",
                      "topic bank-requests, partition "
                          + keylessRecord.partition()
                          + ", offset "
                          + keylessRecord.offset(),
                  "reason", "has no key, which is the request id to answer under",
                  "valueBase64", Base64.getEncoder().encodeToString(keyless)));
    } finally {
      job.cancel().get();
    }
  }

  @Test
  void failsTheJobOnARequestWithoutAKeyByDefaultNamingTheRecord() throws Exception {
    KAFKA.createTopic("strict-requests", 1);
    KAFKA.createTopic("strict-responses", 1);
    KafkaBankEntities.reset();
    KAFKA.send(
        new ProducerRecord<>(
            "strict-requests",
            "d0".getBytes(StandardCharsets.UTF_8),
            bytes(deposit("d0", account(0), 1))),
        new ProducerRecord<>("strict-requests", null, bytes(deposit("keyless", account(0), 1))));
    Configuration config = new Configuration();
    config.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    JobClient job = start(config, 1, transactions("bank/strict", "strict"));

    assertThatThrownBy(() -> job.getJobExecutionResult().get(1, TimeUnit.MINUTES))
        .satisfies(
            error ->
                assertThat(ExceptionUtils.stringifyException(error))
                    .contains(
                        "Cannot deliver a record from ingress bank/strict (topic strict-requests,"
                            + " partition 0, offset 1) has no key, which is the request id to"
                            + " answer under; set stateweave.bad-records: dead-letter"));
  }

  @Test
  void deadLetterPolicyWithoutADeadLetterEgressIsAConfigurationError() {
    Configuration config = new Configuration();
    config.setString("stateweave.bad-records", "dead-letter");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);

    assertThatThrownBy(
            () ->
                ModuleTranslator.translate(
                    env,
                    ModuleLoader.parse(transactions("bank/tx", "tx"), "bank-transactions.yaml")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "stateweave.bad-records is 'dead-letter', so stateweave.dead-letter-egress must name"
                + " an egress of bank-transactions.yaml");
  }

  /** Replays the requests one by one in sequence order: each answer is what the replay gives. */
  private void assertSerialReplayGives(List<TransactionResult> inOrder) {
    Map<String, Long> balances = new HashMap<>();
    for (TransactionResult result : inOrder) {
      TransactionRequest request = requests.get(result.requestId());
      String key = request.key();
      switch (request.function()) {
        case "deposit" -> {
          long balance = balances.merge(key, request.args().getLong(0), Long::sum);
          assertThat(result.value()).as("%s", result).isEqualTo(balance);
        }
        case "transfer" -> {
          long amount = request.args().getLong(1);
          balances.merge(request.args().getString(0), amount, Long::sum);
          long balance = balances.getOrDefault(key, 0L);
          if (balance < amount) {
            assertThat(result.committed()).as("%s", result).isFalse();
            assertThat(result.errorClass()).isEqualTo(IllegalStateException.class.getName());
            assertThat(result.errorMessage()).isEqualTo("insufficient funds in " + key);
            // the aborted transaction's deposit is undone
            balances.merge(request.args().getString(0), -amount, Long::sum);
          } else {
            balances.put(key, balance - amount);
            assertThat(result.value()).as("%s", result).isEqualTo(balance - amount);
          }
        }
        case "balance" ->
            assertThat(result.value()).as("%s", result).isEqualTo(balances.getOrDefault(key, 0L));
        default -> assertThat(result.committed()).as("%s", result).isTrue();
      }
    }
    assertThat(balances.values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(ACCOUNTS * INITIAL_BALANCE);
  }

  @Test
  void withFunctionsTooTheIngressesAndTheTransactionsShareTheOneDeadLetterSink() {
    Configuration config = new Configuration();
    config.setString("stateweave.bad-records", "dead-letter");
    config.setString("stateweave.dead-letter-egress", "test/dead");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    String module =
        transactions("bank/mixed", "mixed")
            + """
            ---
            kind: io.stateweave.functions.v1/java
            spec:
              functions:
                - {type: test/hello, class: io.stateweave.flink.module.TestFunctions$Echo}
            ---
            kind: io.stateweave.ingress.v1/generator
            spec:
              id: test/names
              targets: [test/hello]
              records: [{id: a, value: go}]
            ---
            kind: io.stateweave.egress.v1/collecting
            spec: {id: test/dead}
            """;
    ModuleTranslator.translate(env, ModuleLoader.parse(module, "mixed.yaml"));

    StreamGraph graph = env.getStreamGraph();
    List<StreamNode> deadLetterWriters =
        graph.getStreamNodes().stream()
            .filter(node -> node.getOperatorName().equals("egress test/dead (collecting): Writer"))
            .toList();
    assertThat(deadLetterWriters).hasSize(1);
    assertThat(deadLetterWriters.get(0).getInEdges())
        .extracting(edge -> graph.getStreamNode(edge.getSourceId()).getOperatorName())
        .containsExactlyInAnyOrder(
            "functions",
            "router test/names",
            "router keep-alive",
            "transactions bank/mixed (rejections apart)");
  }

  private static JobClient start(Configuration config, int parallelism, String module)
      throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    env.setParallelism(parallelism);
    // rare enough that the epochs just before the crash are not in a checkpoint yet
    env.enableCheckpointing(1_000);
    ModuleTranslator.translate(env, ModuleLoader.parse(module, "bank-transactions.yaml"));
    return env.executeAsync("bank over kafka");
  }

  /** The bank's transactions {@code id} over the topics {@code <prefix>-requests} and so on. */
  private static String transactions(String id, String prefix) {
    return """
        kind: io.stateweave.entities.v1/java
        spec:
          providers: [io.stateweave.flink.transaction.KafkaBankEntities]
        ---
        kind: io.stateweave.transactions.v1/kafka
        spec:
          id: %s
          address: %s
          requestTopic: %s-requests
          responseTopic: %s-responses
          consumerGroupId: %s
          transactionTimeout: 1min
          epoch: {maxSize: 50, maxDelay: 20ms}
        """
        .formatted(id, KAFKA.bootstrapServers(), prefix, prefix, prefix);
  }

  /** Random transfers between distinct accounts, some sent twice in a row; returns their ids. */
  private List<String> transfers(String phase) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < TRANSFERS_PER_PHASE; i++) {
      int from = random.nextInt(ACCOUNTS);
      int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
      TransactionRequest transfer =
          TransactionRequest.of(
              phase + i,
              KafkaBankEntities.ACCOUNT,
              "transfer",
              account(from),
              account(to),
              1L + random.nextInt(80));
      ids.add(submit(transfer));
      if (i % RESUBMIT_EVERY == 0) {
        submit(transfer);
      }
    }
    return ids;
  }

  private static TransactionRequest deposit(String id, String account, long amount) {
    return TransactionRequest.of(id, KafkaBankEntities.ACCOUNT, "deposit", account, amount);
  }

  private static String account(int i) {
    return "acc" + i;
  }

  private String submit(TransactionRequest request) {
    requests.putIfAbsent(request.requestId(), request);
    submissions.merge(request.requestId(), 1, Integer::sum);
    unsent.add(
        new ProducerRecord<>(
            "bank-requests", request.requestId().getBytes(StandardCharsets.UTF_8), bytes(request)));
    return request.requestId();
  }

  /** Sends what was submitted, in submission order per partition, in one batch. */
  @SuppressWarnings("unchecked")
  private void send() {
    KAFKA.send(unsent.toArray(ProducerRecord[]::new));
    unsent.clear();
  }

  private int submissionCount() {
    return submissions.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** All answers so far; waits for {@code count} and reads on for any that should not be there. */
  private List<TransactionResult> awaitAnswers(int count) throws IOException {
    send();
    List<TransactionResult> answers = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : KAFKA.readCommitted("bank-responses", count)) {
      TransactionResult answer =
          TransactionResult.read(new DataInputStream(new ByteArrayInputStream(record.value())));
      assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(answer.requestId());
      answers.add(answer);
    }
    assertThat(answers).hasSize(count);
    return answers;
  }

  /** What a read_uncommitted consumer sees: also the records of aborted Kafka transactions. */
  private static int recordsWrittenIncludingAborted() {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    config.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor("bank-responses").stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      int records = 0;
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        records += consumer.poll(Duration.ofMillis(200)).count();
      }
      return records;
    }
  }

  private static byte[] bytes(TransactionRequest request) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      request.write(new DataOutputStream(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
