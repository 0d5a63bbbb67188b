package io.stateweave.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.entity.TransactionRequest;
import io.stateweave.sdk.entity.TransactionResult;
import io.stateweave.testinfra.flink.FlinkCluster;
import io.stateweave.testinfra.flink.JobId;
import io.stateweave.testinfra.kafka.KafkaBrokerExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15's bank on the standalone cluster: the job jar runs the example {@code BankEntities}
 * from a module.yaml (entities and Kafka transactions) at parallelism 2. 1,000 accounts get 100
 * each, then at least 50,000 random transfers between distinct accounts (1..100, so many abort
 * for insufficient funds) stream into the request topic while the TaskManager is SIGKILLed twice
 * and replaced; at the end every balance is asked for. A read_committed consumer must see every
 * request answered exactly once, the answers' sequences must be 1..n, and replaying the requests
 * one by one in that order with a model of the bank must give every answer exactly: each
 * transfer's remaining balance or its abort (aborts are exactly the replay's insufficient funds),
 * and each final balance, which are none negative and add up to the money deposited. No JVM of
 * the cluster may log a commit refused as fenced.
 */
final class BankTransactionsE2ETest {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String REQUESTS = "bank-requests";
  private static final String RESPONSES = "bank-responses";
  private static final TypeName ACCOUNT = TypeName.parse("bank/account");
  private static final int ACCOUNTS = 1_000;
  private static final long INITIAL_BALANCE = 100;
  private static final int MIN_TRANSFERS = 50_000;
  private static final int MAX_TRANSFERS = 150_000;
  /** Transfers answered between the job (re)starting and the next kill. */
  private static final int PROGRESS_BEFORE_KILL = 8_000;

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  /** Every request sent, by id; the transfers are sent from another thread. */
  private final Map<String, TransactionRequest> requests = new ConcurrentHashMap<>();

  @Test
  void everyRequestIsAnsweredOnceAsASerialReplayInTheReportedOrderAnswersItAcrossTwoKills()
      throws Exception {
    KAFKA.createTopic(REQUESTS, 2);
    KAFKA.createTopic(RESPONSES, 2);
    Path workDir = CountedEvents.newWorkDir();
    Path module = workDir.resolve("bank.yaml");
    Files.writeString(module, module(KAFKA.bootstrapServers()));
    List<String> args = CountedEvents.jobArgs(module);

    List<String> fencedCommits;
    List<TransactionResult> answers;
    int writtenIncludingAborted;
    try (FlinkCluster cluster = FlinkCluster.start(workDir.resolve("cluster"), 1, 2, Map.of());
        Answers responses = new Answers()) {
      JobId job = cluster.submit(CountedEvents.jobJar(), CountedEvents.MAIN_CLASS, args, 2, null);
      cluster.awaitTasksRunning(job, TIMEOUT);

      List<TransactionRequest> deposits = new ArrayList<>();
      for (int i = 0; i < ACCOUNTS; i++) {
        deposits.add(
            TransactionRequest.of("deposit-" + i, ACCOUNT, "deposit", account(i), INITIAL_BALANCE));
      }
      send(deposits);
      await("the deposits' answers", () -> responses.count() >= ACCOUNTS);

      // transfers stream in until both kills are over, so that each kill lands while the job
      // has transfers to sequence, run and answer
      AtomicBoolean killsOver = new AtomicBoolean();
      CompletableFuture<Integer> producing =
          CompletableFuture.supplyAsync(() -> streamTransfers(killsOver::get));
      int taskManager = 0;
      for (int kill = 1; kill <= 2; kill++) {
        int progress = responses.count() + PROGRESS_BEFORE_KILL;
        await(
            "answers to pass " + progress + " before kill " + kill,
            () -> responses.count() > progress);
        assertThat(producing).as("transfers streaming in at kill %d", kill).isNotDone();
        int failures = cluster.failureCount(job);
        int checkpoints = cluster.completedCheckpoints(job);
        assertThat(cluster.killTaskManager(taskManager)).as("exit code of SIGKILL").isEqualTo(137);
        await("the lost TaskManager to be noticed", () -> cluster.failureCount(job) > failures);
        taskManager = cluster.startTaskManager();
        cluster.awaitTasksRunning(job, TIMEOUT);
        cluster.awaitCompletedCheckpoints(job, checkpoints + 1, TIMEOUT);
      }
      killsOver.set(true);
      int transfers = producing.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(transfers).as("transfers sent").isBetween(MIN_TRANSFERS, MAX_TRANSFERS - 1);
      await("the transfers' answers", () -> responses.count() >= ACCOUNTS + transfers);

      // asked once every transfer is answered, so sequenced after all of them
      List<TransactionRequest> balances = new ArrayList<>();
      for (int i = 0; i < ACCOUNTS; i++) {
        balances.add(TransactionRequest.of("balance-" + i, ACCOUNT, "balance", account(i)));
      }
      send(balances);
      await("the balances' answers", () -> responses.count() >= requests.size());
      Thread.sleep(3_000); // duplicates, if any, have time to show
      answers = responses.all();
      writtenIncludingAborted = recordsWrittenIncludingAborted();
      cluster.cancel(job);
      fencedCommits = cluster.logLinesContaining(CountedEvents.FENCED_COMMIT);
    }

    assertEachRequestAnsweredOnce(answers);
    assertSerialReplayGivesEveryAnswer(answers);
    assertThat(writtenIncludingAborted)
        .as("answers written before a kill, then aborted with their Kafka transaction")
        .isGreaterThan(answers.size());
    assertThat(fencedCommits).as("commits refused as fenced (possible data loss)").isEmpty();
  }

  private void assertEachRequestAnsweredOnce(List<TransactionResult> answers) {
    Map<String, Long> answersPerId =
        answers.stream()
            .collect(Collectors.groupingBy(TransactionResult::requestId, Collectors.counting()));
    assertNone(
        "requests without an answer",
        requests.keySet().stream().filter(id -> !answersPerId.containsKey(id)).toList());
    assertNone(
        "answers to ids never asked",
        answersPerId.keySet().stream().filter(id -> !requests.containsKey(id)).toList());
    assertNone(
        "request ids answered more than once",
        answersPerId.entrySet().stream()
            .filter(answered -> answered.getValue() > 1)
            .map(answered -> answered.getKey() + " (" + answered.getValue() + " times)")
            .toList());
    long[] sequences = answers.stream().mapToLong(TransactionResult::sequence).sorted().toArray();
    assertNone(
        "sequences not 1..n (one place in the serial order per answer, none skipped)",
        IntStream.range(0, sequences.length)
            .filter(i -> sequences[i] != i + 1)
            .mapToObj(i -> "place " + (i + 1) + " has sequence " + sequences[i])
            .toList());
  }

  /** Names how many there are and the first few, rather than printing thousands. */
  private static void assertNone(String what, List<String> found) {
    assertThat(found.size())
        .as("%s, e.g. %s", what, found.stream().limit(5).toList())
        .isZero();
  }

  /**
   * Replays the requests one by one in sequence order with a model of the bank: each answer must
   * be what the replay gives, and the final balances must hold the money deposited, none negative.
   */
  private void assertSerialReplayGivesEveryAnswer(List<TransactionResult> answers) {
    List<TransactionResult> inOrder =
        answers.stream().sorted(Comparator.comparingLong(TransactionResult::sequence)).toList();
    Map<String, Long> balances = new HashMap<>();
    List<String> different = new ArrayList<>();
    int aborted = 0;
    for (TransactionResult answer : inOrder) {
      TransactionRequest request = requests.get(answer.requestId());
      String key = request.key();
      TransactionResult expected =
          switch (request.function()) {
            case "deposit" ->
                committed(answer, balances.merge(key, request.args().getLong(0), Long::sum));
            case "balance" -> committed(answer, balances.getOrDefault(key, 0L));
            case "transfer" -> {
              long amount = request.args().getLong(1);
              long balance = balances.getOrDefault(key, 0L);
              if (balance < amount) {
                aborted++;
                yield TransactionResult.aborted(
                    answer.requestId(),
                    answer.transactionId(),
                    answer.sequence(),
                    IllegalStateException.class.getName(),
                    "insufficient funds in " + key + ": " + balance + " < " + amount);
              }
              balances.merge(request.args().getString(0), amount, Long::sum);
              yield committed(answer, balances.merge(key, -amount, Long::sum));
            }
            default -> throw new AssertionError("no such request: " + request);
          };
      if (!expected.sameOutcome(answer)) {
        different.add(answer + ", the replay gives " + expected);
      }
    }
    assertNone("answers that differ from the serial replay", different);
    assertThat(balances).as("accounts").hasSize(ACCOUNTS);
    assertThat(balances.values()).as("final balances").allMatch(balance -> balance >= 0);
    assertThat(balances.values().stream().mapToLong(Long::longValue).sum())
        .as("money in the bank")
        .isEqualTo(ACCOUNTS * INITIAL_BALANCE);
    int transfers = requests.size() - 2 * ACCOUNTS;
    assertThat(aborted)
        .as("transfers aborted for insufficient funds")
        .isBetween(transfers / 10, transfers / 2);
  }

  /** What a read_uncommitted consumer sees: also the records of aborted Kafka transactions. */
  private static int recordsWrittenIncludingAborted() {
    try (KafkaConsumer<byte[], byte[]> consumer = KAFKA.consumerFromStart(RESPONSES, "read_uncommitted")) {
      Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
      int records = 0;
      while (end.keySet().stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        records += consumer.poll(Duration.ofMillis(200)).count();
      }
      return records;
    }
  }

  private static TransactionResult committed(TransactionResult answer, long value) {
    return TransactionResult.committed(
        answer.requestId(), answer.transactionId(), answer.sequence(), value);
  }

  /**
   * Sends transfers between distinct random accounts, 100 every 80 ms, until at least {@value
   * #MIN_TRANSFERS} are sent and {@code stop} says so; returns how many it sent.
   */
  private int streamTransfers(BooleanSupplier stop) {
    SplittableRandom random = new SplittableRandom(15);
    try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
      int i = 0;
      for (; i < MAX_TRANSFERS && !(i >= MIN_TRANSFERS && stop.getAsBoolean()); i++) {
        int from = random.nextInt(ACCOUNTS);
        int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
        long amount = 1 + random.nextInt(100);
        send(
            producer,
            TransactionRequest.of(
                "transfer-" + i, ACCOUNT, "transfer", account(from), account(to), amount));
        if (i % 100 == 99) {
          producer.flush();
          Thread.sleep(80);
        }
      }
      producer.flush();
      return i;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending transfers", e);
    }
  }

  private void send(List<TransactionRequest> batch) {
    try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
      batch.forEach(request -> send(producer, request));
    }
  }

  /** Keyed by the request id, as the transactions' Kafka source expects. */
  private void send(KafkaProducer<byte[], byte[]> producer, TransactionRequest request) {
    requests.put(request.requestId(), request);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      request.write(new DataOutputStream(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    producer.send(
        new ProducerRecord<>(
            REQUESTS, request.requestId().getBytes(StandardCharsets.UTF_8), bytes.toByteArray()));
  }

  private static String account(int i) {
    return "account-" + i;
  }

  private static String module(String bootstrap) {
    return """
           kind: io.stateweave.entities.v1/java
           spec:
             providers: [io.stateweave.examples.BankEntities]
           ---
           kind: io.stateweave.transactions.v1/kafka
           spec:
             id: bank/transactions
             address: %1$s
             requestTopic: %2$s
             responseTopic: %3$s
             consumerGroupId: bank
             transactionTimeout: 2min
           """
        .formatted(bootstrap, REQUESTS, RESPONSES);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    CountedEvents.await(what, TIMEOUT, condition);
  }

  /**
   * The response topic as a read_committed consumer sees it from the start, read on where it left
   * off at each call. Checks that each record's key is its answer's request id.
   */
  private static final class Answers implements AutoCloseable {
    private final List<TransactionResult> answers = new ArrayList<>();

    private final KafkaConsumer<byte[], byte[]> consumer =
        KAFKA.consumerFromStart(RESPONSES, "read_committed");

    /** How many answers are committed so far: reads until a poll brings nothing new. */
    int count() {
      ConsumerRecords<byte[], byte[]> records;
      do {
        records = consumer.poll(Duration.ofMillis(100));
        for (ConsumerRecord<byte[], byte[]> record : records) {
          TransactionResult answer = read(record.value());
          assertThat(new String(record.key(), StandardCharsets.UTF_8))
              .as("the key of %s", answer)
              .isEqualTo(answer.requestId());
          answers.add(answer);
        }
      } while (!records.isEmpty());
      return answers.size();
    }

    List<TransactionResult> all() {
      count();
      return List.copyOf(answers);
    }

    private static TransactionResult read(byte[] bytes) {
      try {
        return TransactionResult.read(new DataInputStream(new ByteArrayInputStream(bytes)));
      } catch (IOException e) {
        throw new UncheckedIOException("not a TransactionResult", e);
      }
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
