package io.stateweave.flink.translation;

import io.stateweave.flink.egress.EgressBinder;
import io.stateweave.flink.ingress.IngressBinder;
import io.stateweave.flink.module.EntitiesSpec;
import io.stateweave.flink.module.KafkaEgressSpec;
import io.stateweave.flink.module.ModuleSpec;
import io.stateweave.flink.module.TransactionsKafkaSpec;
import io.stateweave.flink.transaction.EpochOptions;
import io.stateweave.flink.transaction.Transactions;
import io.stateweave.sdk.entity.TransactionRequest;
import io.stateweave.sdk.entity.TransactionResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A module's transactions over Kafka: requests from the request topic, through the executor, to
 * the response topic in Kafka transactions that commit with Flink's checkpoints. Offsets of the
 * requests and the executor's state are in the same checkpoints, so after a restore the requests
 * since the last checkpoint run again from its state and their answers, never committed before,
 * go out once.
 */
final class KafkaTransactions {
  private KafkaTransactions() {}

  static void bind(StreamExecutionEnvironment env, ModuleSpec module) {
    TransactionsKafkaSpec spec = module.transactions().get(0);
    Properties properties = new Properties();
    properties.putAll(spec.properties());
    KafkaSource<TransactionRequest> source =
        KafkaSource.<TransactionRequest>builder()
            .setProperties(properties)
            .setBootstrapServers(spec.address())
            .setGroupId(spec.consumerGroupId())
            .setTopics(spec.requestTopic())
            // requests sent before the job first started are answered too: a new group starts
            // at the earliest offsets
            .setStartingOffsets(
                IngressBinder.kafkaStartingOffsets(
                    spec.startupPosition(), OffsetResetStrategy.EARLIEST))
            .setDeserializer(new RequestReader())
            .build();
    DataStream<TransactionRequest> requests =
        env.fromSource(
                source,
                WatermarkStrategy.noWatermarks(),
                "transactions " + spec.id() + " (kafka " + spec.requestTopic() + ")",
                Transactions.REQUEST_TYPE)
            .uid("transactions-requests-" + spec.id().canonical());
    // the egresses' exactly-once sink, under its own default transactional id prefix
    Map<String, String> producer = new HashMap<>(spec.properties());
    producer.putIfAbsent(
        "transactional.id.prefix",
        "stateweave-transactions-" + spec.id().canonical().replace('/', '-'));
    Sink<TransactionResult> sink =
        EgressBinder.kafkaSink(
            new KafkaEgressSpec(
                spec.id(),
                spec.address(),
                KafkaEgressSpec.DeliverySemantic.EXACTLY_ONCE,
                spec.transactionTimeout(),
                spec.responseTopic(),
                producer),
            new ResultWriter(spec.responseTopic()));
    Transactions.execute(requests, provider(module), epochOptions(spec))
        .sinkTo(sink)
        .name("transactions " + spec.id() + " (kafka " + spec.responseTopic() + ")")
        .uid("transactions-responses-" + spec.id().canonical());
  }

  /** Every entities document's providers as one: entity types may call each other's. */
  private static EntitiesSpec provider(ModuleSpec module) {
    List<String> providers = new ArrayList<>();
    module.entities().forEach(entities -> providers.addAll(entities.providers()));
    return new EntitiesSpec(providers);
  }

  private static EpochOptions epochOptions(TransactionsKafkaSpec spec) {
    return new EpochOptions(spec.epochMaxSize(), spec.epochMaxDelay(), spec.answerRetention());
  }

  /**
   * A record's key is its request id, its value the request's byte form. A record that is not a
   * request cannot be answered (there is no id to answer to, or two), so it is logged and skipped
   * rather than failing the job on every restart.
   */
  private static final class RequestReader
      implements KafkaRecordDeserializationSchema<TransactionRequest> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RequestReader.class);

    @Override
    public void deserialize(
        ConsumerRecord<byte[], byte[]> record, Collector<TransactionRequest> out) {
      String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
      TransactionRequest request;
      try {
        request =
            record.value() == null
                ? null
                : TransactionRequest.read(
                    new DataInputStream(new ByteArrayInputStream(record.value())));
      } catch (IOException | RuntimeException e) {
        request = null;
      }
      if (request == null || !request.requestId().equals(key)) {
        LOG.warn(
            "Skipping record {}/{} at offset {}: not a transaction request whose key is its id",
            record.topic(),
            record.partition(),
            record.offset());
        return;
      }
      out.collect(request);
    }

    @Override
    public TypeInformation<TransactionRequest> getProducedType() {
      return Transactions.REQUEST_TYPE;
    }
  }

  /** The answer under its request id, so clients correlate by key. */
  private static final class ResultWriter
      implements KafkaRecordSerializationSchema<TransactionResult> {
    private static final long serialVersionUID = 1L;
    private final String topic;

    ResultWriter(String topic) {
      this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
        TransactionResult result, KafkaSinkContext context, Long timestamp) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try {
        result.write(new DataOutputStream(bytes));
      } catch (IOException e) {
        throw new UncheckedIOException("writing to memory cannot fail", e);
      }
      return new ProducerRecord<>(
          topic, result.requestId().getBytes(StandardCharsets.UTF_8), bytes.toByteArray());
    }
  }
}
