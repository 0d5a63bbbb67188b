package io.stateweave.client;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.entity.TransactionRequest;
import io.stateweave.sdk.entity.TransactionResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Submits transactions to a job's request topic and completes each future with the answer that
 * arrives, read_committed, on the response topic under the request's id.
 *
 * <p>A request not answered within {@code resubmitAfter} is sent again with the same id: the job
 * runs an id once and answers a resubmission with the first outcome, so resending is safe, and it
 * covers a request lost before the job read it. The future completes with the first answer; later
 * answers to the same id are the same and are dropped.
 *
 * <p>Every client reads every answer of the response topic (it has no consumer group, so clients
 * do not share partitions) and keeps the ones it waits for: answers to others cost it their
 * transfer. It starts reading at the topic's end when created, so it sees no earlier answers. One
 * thread per client reads answers and resends; {@link #close()} stops it and fails what is still
 * waiting.
 */
public final class TransactionClient implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(50);

  private final String requestTopic;
  private final Duration resubmitAfter;
  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
  // when each waiting request is sent again, in System.nanoTime()
  private final Map<String, Long> resendAt = new ConcurrentHashMap<>();
  private final Thread reader;
  private volatile boolean closed;

  private record Waiting(
      TransactionRequest request, byte[] bytes, CompletableFuture<TransactionResult> future) {}

  private TransactionClient(
      String bootstrapServers,
      String requestTopic,
      String responseTopic,
      Duration resubmitAfter,
      Map<String, String> properties) {
    this.requestTopic = requestTopic;
    this.resubmitAfter = resubmitAfter;
    Properties producerConfig = new Properties();
    producerConfig.putAll(properties);
    producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    Properties consumerConfig = new Properties();
    consumerConfig.putAll(properties);
    consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    consumerConfig.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    // answers of Kafka transactions the job aborted (on a restore) are never seen
    consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    this.producer = new KafkaProducer<>(producerConfig);
    this.consumer = new KafkaConsumer<>(consumerConfig);
    List<TopicPartition> partitions =
        consumer.partitionsFor(responseTopic).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    if (partitions.isEmpty()) {
      consumer.close();
      producer.close();
      // without partitions it would wait for answers that can never come
      throw new IllegalArgumentException("No topic " + responseTopic + " at " + bootstrapServers);
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    // resolves the end now, so that no answer to a request submitted from here on is skipped
    partitions.forEach(consumer::position);
    this.reader = new Thread(this::readAnswers, "transaction-client-" + responseTopic);
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * A client of the job whose transactions component has these topics; Kafka {@code properties}
   * (security, timeouts) apply to both its producer and its consumer.
   */
  public static TransactionClient create(
      String bootstrapServers,
      String requestTopic,
      String responseTopic,
      Duration resubmitAfter,
      Map<String, String> properties) {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(requestTopic, "requestTopic");
    Objects.requireNonNull(responseTopic, "responseTopic");
    if (resubmitAfter.isNegative() || resubmitAfter.isZero()) {
      throw new IllegalArgumentException("resubmitAfter must be positive, got " + resubmitAfter);
    }
    return new TransactionClient(
        bootstrapServers, requestTopic, responseTopic, resubmitAfter, Map.copyOf(properties));
  }

  /** Calls {@code function} of the entity {@code key} of {@code entityType}, under a new id. */
  public CompletableFuture<TransactionResult> submit(
      TypeName entityType, String function, String key, Object... args) {
    return submit(
        TransactionRequest.of(UUID.randomUUID().toString(), entityType, function, key, args));
  }

  /**
   * Submits a request under its own id: a request id the job answered before gets that answer,
   * so a caller that lost a future (a restart) can submit the same request again.
   */
  public CompletableFuture<TransactionResult> submit(TransactionRequest request) {
    if (closed) {
      throw new IllegalStateException("The client is closed");
    }
    CompletableFuture<TransactionResult> future = new CompletableFuture<>();
    Waiting entry = new Waiting(request, bytes(request), future);
    Waiting earlier = waiting.putIfAbsent(request.requestId(), entry);
    if (earlier != null) {
      return earlier.future();
    }
    send(entry);
    return future;
  }

  private void send(Waiting entry) {
    resendAt.put(entry.request().requestId(), System.nanoTime() + resubmitAfter.toNanos());
    producer.send(
        new ProducerRecord<>(
            requestTopic,
            entry.request().requestId().getBytes(StandardCharsets.UTF_8),
            entry.bytes()),
        (metadata, error) -> {
          // a failed send is retried like a lost one, when its time to resubmit comes
        });
  }

  private void readAnswers() {
    try {
      while (!closed) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          if (record.key() == null || record.value() == null) {
            continue;
          }
          Waiting entry = waiting.remove(new String(record.key(), StandardCharsets.UTF_8));
          if (entry != null) {
            resendAt.remove(entry.request().requestId());
            try {
              entry.future().complete(result(record.value()));
            } catch (UncheckedIOException e) {
              entry.future().completeExceptionally(e);
            }
          }
        }
        resendOverdue();
      }
    } catch (WakeupException e) {
      // close() woke the poll
    } catch (RuntimeException e) {
      failAll(e);
    } finally {
      consumer.close();
    }
  }

  private void resendOverdue() {
    long now = System.nanoTime();
    for (Waiting entry : waiting.values()) {
      Long due = resendAt.get(entry.request().requestId());
      if (due != null && now - due >= 0) {
        send(entry);
      }
    }
  }

  private static TransactionResult result(byte[] bytes) {
    try {
      return TransactionResult.read(new DataInputStream(new ByteArrayInputStream(bytes)));
    } catch (IOException e) {
      throw new UncheckedIOException("Not an answer's bytes on the response topic", e);
    }
  }

  private static byte[] bytes(TransactionRequest request) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      request.write(new DataOutputStream(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }

  private void failAll(Throwable cause) {
    for (String id : waiting.keySet()) {
      Waiting entry = waiting.remove(id);
      if (entry != null) {
        entry.future().completeExceptionally(cause);
      }
    }
  }

  /** Stops reading; futures not completed yet fail (their requests may still run in the job). */
  @Override
  public void close() {
    closed = true;
    consumer.wakeup();
    try {
      reader.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close();
    failAll(new IllegalStateException("The client was closed before the answer arrived"));
  }
}
