package io.stateweave.bench;

import io.stateweave.sdk.entity.TransactionRequest;
import io.stateweave.sdk.entity.TransactionResult;
import io.stateweave.testinfra.flink.FlinkCluster;
import io.stateweave.testinfra.flink.JobId;
import io.stateweave.testinfra.kafka.KafkaBroker;
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
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * YCSB-T as Styx measures it: requests and answers through Kafka. The ycsbt transfers ({@link
 * Transfers}: two of {@value Addresses#COUNT} accounts, uniform or Zipf 0.99) go as request records
 * to a real broker (test-infra's {@link KafkaBroker}), the job jar users {@code flink run} runs
 * them from a module.yaml (the {@link YcsbtAccountsProvider} entities and an {@code
 * io.stateweave.transactions.v1/kafka} document) on a standalone cluster (one TaskManager with two
 * slots, parallelism 2), and the answers come back on the response topic through the exactly-once
 * sink. Each run starts a fresh broker and cluster.
 *
 * <p>Per distribution, two runs:
 *
 * <ul>
 *   <li>peak: the request topic is filled with {@code --peak-requests} before the job is
 *       submitted, so the job alone works through a backlog it cannot finish; answers per second are
 *       the answer records the sink wrote between two moments after the warm-up (the response
 *       topic's end offsets then, read uncommitted; the records between them counted afterwards,
 *       so no consumer shares the cores while measuring and Kafka's commit markers are not
 *       counted).
 *   <li>latency: an open-loop producer at {@code --latency-share} of that peak (half by default;
 *       producer, consumers and broker then share the cores with the job), each request due on a
 *       fixed schedule and stamped with its due time in its id ({@link YcsbtGenerators.Requests}), and two
 *       consumers of the response topic: {@code read_committed} (what a client sees: an answer
 *       becomes visible when the checkpoint after it completes) and {@code read_uncommitted} (when
 *       the sink wrote it, without the commit wait). Latency is the answer seen less the request's
 *       due time, for requests due within the measured interval.
 * </ul>
 *
 * <p>CPU: the Flink JVMs' (JobManager and TaskManager) per transaction, which is what Styx's
 * per-CPU figures count (its Kafka is not counted); the broker's and this JVM's (producer and
 * consumers) apart; and the machine's processor count, for per-core figures.
 *
 * <p>Arguments: {@code --distributions uniform,zipf --warmup-seconds 20 --measure-seconds 30
 * --checkpoint-ms 1000 --repeat 1 --peak-requests 5000000 --latency-share 0.5}.
 */
public final class ClusterYcsbtBenchmark {
  static final String WORKLOAD = "ycsbt-kafka-cluster";
  private static final String LAUNCHER = "io.stateweave.jobs.Launcher";
  private static final String REQUESTS = "ycsbt-requests";
  private static final String RESPONSES = "ycsbt-responses";
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
  // the producer's linger.ms (Kafka 4's default), printed: its batching is part of the latency
  private static final String LINGER_MS = "5";
  // the job has not caught up with the pre-filled requests while it answered fewer than this share
  private static final double BACKLOG_LEFT = 0.98;

  /** The benchmark's arguments. */
  record Options(
      List<Transfers.Distribution> distributions,
      long warmupSeconds,
      long measureSeconds,
      long checkpointMs,
      int repeat,
      long peakRequests,
      double latencyShare) {
    Options {
      if (distributions.isEmpty()) {
        throw new IllegalArgumentException("no distributions");
      }
      if (warmupSeconds < 0 || measureSeconds < 1 || checkpointMs < 1 || repeat < 1) {
        throw new IllegalArgumentException(
            "need --warmup-seconds >= 0, --measure-seconds, --checkpoint-ms and --repeat >= 1");
      }
      if (peakRequests < 1) {
        throw new IllegalArgumentException("need --peak-requests >= 1");
      }
      if (!(latencyShare > 0 && latencyShare <= 1)) {
        throw new IllegalArgumentException("need 0 < --latency-share <= 1");
      }
      distributions = List.copyOf(distributions);
    }

    static Options parse(String[] args) {
      List<Transfers.Distribution> distributions =
          List.of(Transfers.Distribution.UNIFORM, Transfers.Distribution.ZIPF);
      long warmupSeconds = 20;
      long measureSeconds = 30;
      long checkpointMs = 1000;
      int repeat = 1;
      long peakRequests = 5_000_000;
      double latencyShare = 0.5;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--distributions" ->
              distributions =
                  Stream.of(args[++i].split(",")).map(Transfers.Distribution::parse).toList();
          case "--warmup-seconds" -> warmupSeconds = Long.parseLong(args[++i]);
          case "--measure-seconds" -> measureSeconds = Long.parseLong(args[++i]);
          case "--checkpoint-ms" -> checkpointMs = Long.parseLong(args[++i]);
          case "--repeat" -> repeat = Integer.parseInt(args[++i]);
          case "--peak-requests" -> peakRequests = Long.parseLong(args[++i]);
          case "--latency-share" -> latencyShare = Double.parseDouble(args[++i]);
          default ->
              throw new IllegalArgumentException(
                  "unknown argument "
                      + args[i]
                      + "; use --distributions uniform,zipf --warmup-seconds 20"
                      + " --measure-seconds 30 --checkpoint-ms 1000 --repeat 1"
                      + " --peak-requests 5000000 --latency-share 0.5");
        }
      }
      return new Options(
          distributions,
          warmupSeconds,
          measureSeconds,
          checkpointMs,
          repeat,
          peakRequests,
          latencyShare);
    }
  }

  /** The counters at one moment; {@code answerOffsets} are the response topic's end offsets. */
  record Sample(
      long nanos,
      Map<TopicPartition, Long> answerOffsets,
      Duration flinkCpu,
      Duration brokerCpu,
      long clientCpuNanos) {
    static Sample take(FlinkCluster cluster, KafkaBroker kafka, KafkaConsumer<?, ?> answers) {
      long nanos = System.nanoTime();
      Map<TopicPartition, Long> offsets =
          answers == null ? Map.of() : answers.endOffsets(answers.assignment());
      return new Sample(
          nanos, offsets, cluster.cpuTime(), kafka.cpuTime(), Probe.processCpuNanos());
    }

    /** The CPU between two samples, in microseconds per transaction. */
    String cpuFields(Sample last, long transactions) {
      return String.format(
          Locale.ROOT,
          "cpu_us=%.2f broker_cpu_us=%.2f client_cpu_us=%.2f",
          last.flinkCpu().minus(flinkCpu).toNanos() / 1e3 / transactions,
          last.brokerCpu().minus(brokerCpu).toNanos() / 1e3 / transactions,
          (last.clientCpuNanos() - clientCpuNanos) / 1e3 / transactions);
    }
  }

  private ClusterYcsbtBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    ClusterFiles files = ClusterFiles.locate("ycsbt-cluster");
    System.out.printf(
        Locale.ROOT,
        "# %s: cores=%d checkpoint_ms=%d warmup_s=%d measure_s=%d peak_requests=%d linger_ms=%s"
            + " work=%s%n",
        WORKLOAD,
        cores(),
        options.checkpointMs(),
        options.warmupSeconds(),
        options.measureSeconds(),
        options.peakRequests(),
        LINGER_MS,
        files.work());
    for (int r = 0; r < options.repeat(); r++) {
      for (Transfers.Distribution distribution : options.distributions()) {
        Path dir = files.work().resolve(distribution.label() + "-" + r);
        Transfers transfers = new Transfers(distribution, Transfers.SEED);
        double peak = peak(dir.resolve("peak"), files, options, distribution, transfers);
        latency(
            dir.resolve("latency"),
            files,
            options,
            distribution,
            transfers,
            peak * options.latencyShare());
      }
    }
  }

  /** Prints the peak line and returns the answers per second. */
  private static double peak(
      Path dir,
      ClusterFiles files,
      Options options,
      Transfers.Distribution distribution,
      Transfers transfers)
      throws Exception {
    try (KafkaBroker kafka = startKafka(dir);
        FlinkCluster cluster = startCluster(dir)) {
      try {
        prefill(kafka, new YcsbtGenerators.Requests(transfers, 0), options.peakRequests());
        try (KafkaConsumer<byte[], byte[]> answers =
            kafka.consumerFromStart(RESPONSES, "read_uncommitted")) {
          JobId job = submit(cluster, files, dir, kafka, options);
          Thread.sleep(Duration.ofSeconds(options.warmupSeconds()).toMillis());
          Sample first = Sample.take(cluster, kafka, answers);
          Thread.sleep(Duration.ofSeconds(options.measureSeconds()).toMillis());
          Sample last = Sample.take(cluster, kafka, answers);
          cluster.cancel(job);
          long written = last.answerOffsets().values().stream().mapToLong(Long::longValue).sum();
          if (written >= BACKLOG_LEFT * options.peakRequests()) {
            throw new IllegalStateException(
                "the job answered "
                    + written
                    + " of the "
                    + options.peakRequests()
                    + " pre-filled requests before the measured interval ended, so it may have"
                    + " waited for requests: raise --peak-requests");
          }
          Answered answered = countAnswers(answers, first.answerOffsets(), last.answerOffsets());
          double seconds = (last.nanos() - first.nanos()) / 1e9;
          double rate = answered.answers() / seconds;
          System.out.printf(
              Locale.ROOT,
              "workload=%s distribution=%s phase=peak seconds=%.1f answers=%d rate=%.0f"
                  + " per_core=%.0f cores=%d aborted=%.2f%% checkpoint_ms=%d prefilled=%d %s%n",
              WORKLOAD,
              distribution.label(),
              seconds,
              answered.answers(),
              rate,
              rate / cores(),
              cores(),
              100.0 * answered.aborted() / Math.max(1, answered.answers()),
              options.checkpointMs(),
              options.peakRequests(),
              first.cpuFields(last, Math.max(1, answered.answers())));
          return rate;
        }
      } finally {
        deleteData(kafka, dir);
      }
    }
  }

  /** The backlog the peak run's job works through, sent before the job starts. */
  private static void prefill(KafkaBroker kafka, YcsbtGenerators.Requests requests, long count) {
    try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
      for (long i = 0; i < count; i++) {
        producer.send(record(requests.map(i)));
      }
      producer.flush();
    }
  }

  /** Prints the latency lines, read_committed and read_uncommitted, at {@code perSecond}. */
  private static void latency(
      Path dir,
      ClusterFiles files,
      Options options,
      Transfers.Distribution distribution,
      Transfers transfers,
      double perSecond)
      throws Exception {
    if (!(perSecond >= 1)) {
      throw new IllegalStateException("no rate to offer: " + perSecond + " requests/s");
    }
    try (KafkaBroker kafka = startKafka(dir);
        FlinkCluster cluster = startCluster(dir)) {
      try {
        JobId job = submit(cluster, files, dir, kafka, options);
        long start = System.nanoTime();
        long windowStart = start + Duration.ofSeconds(options.warmupSeconds()).toNanos();
        long windowEnd = windowStart + Duration.ofSeconds(options.measureSeconds()).toNanos();
        List<AnswerReader> readers =
            List.of(
                new AnswerReader(kafka, "read_committed", windowStart, windowEnd),
                new AnswerReader(kafka, "read_uncommitted", windowStart, windowEnd));
        readers.forEach(AnswerReader::start);
        OpenLoopProducer producer =
            new OpenLoopProducer(
                kafka, new YcsbtGenerators.Requests(transfers, perSecond), windowStart, windowEnd);
        CompletableFuture<OpenLoopProducer> producing =
            CompletableFuture.supplyAsync(
                producer::run, task -> new Thread(task, "ycsbt-producer").start());
        sleepUntil(windowStart);
        Sample first = Sample.take(cluster, kafka, null);
        sleepUntil(windowEnd);
        Sample last = Sample.take(cluster, kafka, null);
        producing.join();
        // the last requests' answers are committed with the checkpoint after them
        long deadline =
            System.nanoTime()
                + Duration.ofSeconds(30).plusMillis(5 * options.checkpointMs()).toNanos();
        while (System.nanoTime() < deadline
            && readers.stream().anyMatch(reader -> reader.answers() < producer.sent())) {
          Thread.sleep(50);
        }
        for (AnswerReader reader : readers) {
          reader.stop();
        }
        cluster.cancel(job);
        double seconds = (last.nanos() - first.nanos()) / 1e9;
        for (AnswerReader reader : readers) {
          AnswerLatencies.Summary summary = reader.latencies().summary(producer.sentInWindow());
          System.out.printf(
              Locale.ROOT,
              "workload=%s distribution=%s phase=latency isolation=%s offered=%.0f seconds=%.1f"
                  + " sent=%d answers=%d unanswered=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f"
                  + " producer_lag_max_ms=%.1f cores=%d checkpoint_ms=%d %s%n",
              WORKLOAD,
              distribution.label(),
              reader.isolation(),
              perSecond,
              seconds,
              producer.sentInWindow(),
              summary.answers(),
              summary.unanswered(),
              summary.p50Nanos() / 1e6,
              summary.p99Nanos() / 1e6,
              summary.maxNanos() / 1e6,
              producer.maxLagNanos() / 1e6,
              cores(),
              options.checkpointMs(),
              first.cpuFields(last, Math.max(1, producer.sentInWindow())));
        }
      } finally {
        deleteData(kafka, dir);
      }
    }
  }

  private static KafkaBroker startKafka(Path dir) {
    KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"));
    try {
      kafka.createTopic(REQUESTS, Addresses.PARALLELISM);
      kafka.createTopic(RESPONSES, Addresses.PARALLELISM);
      return kafka;
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
  }

  /** One TaskManager with two slots, 1 GB of process per slot as ClusterChainBenchmark's 1x2. */
  private static FlinkCluster startCluster(Path dir) {
    return FlinkCluster.start(
        dir.resolve("cluster"),
        1,
        Addresses.PARALLELISM,
        Map.of("taskmanager.memory.process.size", Addresses.PARALLELISM + "g"));
  }

  /** The job jar's launcher with the module file, as users {@code flink run} it. */
  private static JobId submit(
      FlinkCluster cluster, ClusterFiles files, Path dir, KafkaBroker kafka, Options options)
      throws IOException {
    Path module = dir.resolve("ycsbt.yaml");
    Files.writeString(module, module(kafka.bootstrapServers()));
    JobId job =
        cluster.submit(
            files.jobJar(),
            List.of(files.classes()),
            LAUNCHER,
            List.of(
                "--module",
                module.toString(),
                "-Dexecution.checkpointing.interval=" + options.checkpointMs() + "ms"),
            Addresses.PARALLELISM,
            null);
    cluster.awaitTasksRunning(job, START_TIMEOUT);
    return job;
  }

  static String module(String bootstrapServers) {
    return """
           kind: io.stateweave.entities.v1/java
           spec:
             providers: [%1$s]
           ---
           kind: io.stateweave.transactions.v1/kafka
           spec:
             id: bench/ycsbt
             address: %2$s
             requestTopic: %3$s
             responseTopic: %4$s
             consumerGroupId: ycsbt
           """
        .formatted(YcsbtAccountsProvider.class.getName(), bootstrapServers, REQUESTS, RESPONSES);
  }

  /** Keyed by the request id (UTF-8), the value {@code TransactionRequest.write}'s bytes. */
  private static ProducerRecord<byte[], byte[]> record(TransactionRequest request) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try {
      request.write(new DataOutputStream(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return new ProducerRecord<>(
        REQUESTS, request.requestId().getBytes(StandardCharsets.UTF_8), bytes.toByteArray());
  }

  /** Answer records, and how many of them are aborted transactions. */
  record Answered(long answers, long aborted) {}

  /**
   * The answer records between two sets of offsets (Kafka's commit markers take offsets but are no
   * records).
   */
  private static Answered countAnswers(
      KafkaConsumer<byte[], byte[]> consumer,
      Map<TopicPartition, Long> from,
      Map<TopicPartition, Long> to) {
    from.forEach(consumer::seek);
    long answers = 0;
    long aborted = 0;
    while (from.keySet().stream().anyMatch(p -> consumer.position(p) < to.get(p))) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        if (record.offset() < to.get(new TopicPartition(record.topic(), record.partition()))) {
          answers++;
          if (!result(record.value()).committed()) {
            aborted++;
          }
        }
      }
    }
    return new Answered(answers, aborted);
  }

  private static TransactionResult result(byte[] bytes) {
    try {
      return TransactionResult.read(new DataInputStream(new ByteArrayInputStream(bytes)));
    } catch (IOException e) {
      throw new UncheckedIOException("not a TransactionResult", e);
    }
  }

  /** The broker's data (gigabytes after a peak run), once it stopped; its log stays. */
  private static void deleteData(KafkaBroker kafka, Path dir) throws IOException {
    kafka.close();
    Path data = dir.resolve("kafka").resolve("data");
    if (!Files.exists(data)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(data)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long left = nanos - System.nanoTime();
    if (left > 0) {
      Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
    }
  }

  /**
   * Sends the requests on their open-loop schedule until the measured window ends; counts those due
   * in the window and how far behind their due time the sends fell at most (a client that cannot
   * keep up shows here, not as the job's latency alone).
   */
  private static final class OpenLoopProducer {
    private final KafkaBroker kafka;
    private final YcsbtGenerators.Requests requests;
    private final long windowStart;
    private final long windowEnd;
    private volatile long sent;
    private volatile long sentInWindow;
    private volatile long maxLagNanos;

    OpenLoopProducer(
        KafkaBroker kafka, YcsbtGenerators.Requests requests, long windowStart, long windowEnd) {
      this.kafka = kafka;
      this.requests = requests;
      this.windowStart = windowStart;
      this.windowEnd = windowEnd;
    }

    OpenLoopProducer run() {
      long total = 0;
      long inWindow = 0;
      long maxLag = 0;
      try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
        for (long i = 0; ; i++) {
          TransactionRequest request = requests.map(i);
          long due = YcsbtGenerators.Requests.dueNanos(request.requestId());
          if (due - windowEnd >= 0) {
            break;
          }
          producer.send(record(request));
          total++;
          if (due - windowStart >= 0) {
            inWindow++;
            maxLag = Math.max(maxLag, System.nanoTime() - due);
          }
        }
        producer.flush();
      }
      sent = total;
      sentInWindow = inWindow;
      maxLagNanos = maxLag;
      return this;
    }

    long sent() {
      return sent;
    }

    long sentInWindow() {
      return sentInWindow;
    }

    long maxLagNanos() {
      return maxLagNanos;
    }
  }

  /**
   * Reads the response topic at one isolation level in a thread of its own, from its start, and
   * records each answer's latency: seen (when its poll returned) less its request's due time.
   */
  private static final class AnswerReader {
    private final KafkaBroker kafka;
    private final String isolation;
    private final AnswerLatencies latencies;
    private final AtomicLong answers = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile RuntimeException failure;

    AnswerReader(KafkaBroker kafka, String isolation, long windowStart, long windowEnd) {
      this.kafka = kafka;
      this.isolation = isolation;
      this.latencies = new AnswerLatencies(windowStart, windowEnd);
      this.thread = new Thread(this::read, "ycsbt-answers-" + isolation);
    }

    void start() {
      thread.start();
    }

    private void read() {
      try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumerFromStart(RESPONSES, isolation)) {
        readUntilStopped(consumer);
      } catch (RuntimeException e) {
        failure = e;
      }
    }

    private void readUntilStopped(KafkaConsumer<byte[], byte[]> consumer) {
      while (!stopping) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
        long seen = System.nanoTime();
        for (ConsumerRecord<byte[], byte[]> record : records) {
          String requestId = new String(record.key(), StandardCharsets.UTF_8);
          latencies.answered(YcsbtGenerators.Requests.dueNanos(requestId), seen);
        }
        answers.addAndGet(records.count());
      }
    }

    /** Stops reading; the latencies are complete when this returns. */
    void stop() throws InterruptedException {
      stopping = true;
      thread.join();
      if (failure != null) {
        throw new IllegalStateException("reading the answers " + isolation + " failed", failure);
      }
    }

    String isolation() {
      return isolation;
    }

    long answers() {
      return answers.get();
    }

    AnswerLatencies latencies() {
      return latencies;
    }
  }
}
