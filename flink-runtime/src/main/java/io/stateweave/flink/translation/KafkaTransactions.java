package io.stateweave.flink.translation;

import io.stateweave.flink.egress.EgressBinder;
import io.stateweave.flink.ingress.IngressBinder;
import io.stateweave.flink.ingress.IngressRouter;
import io.stateweave.flink.module.EntitiesSpec;
import io.stateweave.flink.module.KafkaEgressSpec;
import io.stateweave.flink.module.ModuleSpec;
import io.stateweave.flink.module.TransactionsKafkaSpec;
import io.stateweave.flink.transaction.EpochOptions;
import io.stateweave.flink.transaction.Transactions;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
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
  /** A rejected record's transaction id and sequence: it was never a transaction. */
  static final long NOT_SEQUENCED = 0;

  /** A request record as read: the request, or the answer rejecting it. */
  private static final TypeInformation<Either<TransactionRequest, TransactionResult>>
      READ_TYPE = new EitherTypeInfo<>(Transactions.REQUEST_TYPE, Transactions.RESULT_TYPE);

  private KafkaTransactions() {}

  static void bind(StreamExecutionEnvironment env, ModuleSpec module) {
    TransactionsKafkaSpec spec = module.transactions().get(0);
    Properties properties = new Properties();
    properties.putAll(spec.properties());
    KafkaSource<Either<TransactionRequest, TransactionResult>> source =
        KafkaSource.<Either<TransactionRequest, TransactionResult>>builder()
            .setProperties(properties)
            .setBootstrapServers(spec.address())
            .setGroupId(spec.consumerGroupId())
            .setTopics(spec.requestTopic())
            // requests sent before the job first started are answered too: a new group starts
            // at the earliest offsets
            .setStartingOffsets(
                IngressBinder.kafkaStartingOffsets(
                    spec.startupPosition(), OffsetResetStrategy.EARLIEST))
            .setDeserializer(new RequestReader(spec.id()))
            .build();
    SingleOutputStreamOperator<TransactionRequest> requests =
        env.fromSource(
                source,
                WatermarkStrategy.noWatermarks(),
                "transactions " + spec.id() + " (kafka " + spec.requestTopic() + ")",
                READ_TYPE)
            .uid("transactions-requests-" + spec.id().canonical())
            .process(new SplitRejections(), Transactions.REQUEST_TYPE)
            .name("transactions " + spec.id() + " (rejections apart)")
            .uid("transactions-rejections-" + spec.id().canonical());
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
        .union(requests.getSideOutput(SplitRejections.REJECTIONS))
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
   * A record's key is its request id, its value the request's byte form. A record with a key but
   * without a request of that id as its value is answered under its key with a rejection, so the
   * client learns why rather than waiting; a record without a key has no one to answer, so it is
   * counted in {@code stateweave.badRecords} and logged. Neither fails the job, which would fail
   * again on the same record after every restart.
   */
  static final class RequestReader
      implements KafkaRecordDeserializationSchema<Either<TransactionRequest, TransactionResult>> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RequestReader.class);

    private final TypeName transactions;
    private transient Counter badRecords;

    RequestReader(TypeName transactions) {
      this.transactions = Objects.requireNonNull(transactions, "transactions");
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
      badRecords =
          context
              .getMetricGroup()
              .addGroup(IngressRouter.METRIC_GROUP)
              .counter(IngressRouter.BAD_RECORDS_METRIC);
    }

    @Override
    public void deserialize(
        ConsumerRecord<byte[], byte[]> record,
        Collector<Either<TransactionRequest, TransactionResult>> out) {
      Either<TransactionRequest, TransactionResult> read = read(record);
      if (read == null) {
        badRecords.inc();
        LOG.warn(
            "Skipping record {}/{} at offset {} of transactions {}: it has no key, so no request"
                + " id to answer",
            record.topic(),
            record.partition(),
            record.offset(),
            transactions);
        return;
      }
      if (read.isRight()) {
        LOG.warn("Rejecting {}", read.right().errorMessage());
      }
      out.collect(read);
    }

    /**
     * The request a record holds, or the rejection to answer under its key; null for a record
     * without a key.
     */
    static Either<TransactionRequest, TransactionResult> read(
        ConsumerRecord<byte[], byte[]> record) {
      if (record.key() == null || record.key().length == 0) {
        return null;
      }
      String key = new String(record.key(), StandardCharsets.UTF_8);
      String problem;
      if (record.value() == null) {
        problem = "it has no value";
      } else {
        try {
          TransactionRequest request =
              TransactionRequest.read(
                  new DataInputStream(new ByteArrayInputStream(record.value())));
          if (request.requestId().equals(key)) {
            return Either.Left(request);
          }
          problem = "its value is request '" + request.requestId() + "', not its key";
        } catch (IOException | RuntimeException e) {
          problem = "its value is not TransactionRequest.write's bytes (" + e + ")";
        }
      }
      return Either.Right(
          TransactionResult.aborted(
              key,
              NOT_SEQUENCED,
              NOT_SEQUENCED,
              IllegalArgumentException.class.getName(),
              "record "
                  + record.topic()
                  + "/"
                  + record.partition()
                  + " at offset "
                  + record.offset()
                  + " with key '"
                  + key
                  + "' is not a transaction request: "
                  + problem));
    }

    @Override
    public TypeInformation<Either<TransactionRequest, TransactionResult>> getProducedType() {
      return READ_TYPE;
    }
  }

  /** Requests go on to the executor; rejections, already answers, to a side output. */
  private static final class SplitRejections
      extends ProcessFunction<Either<TransactionRequest, TransactionResult>, TransactionRequest> {
    private static final long serialVersionUID = 1L;
    static final OutputTag<TransactionResult> REJECTIONS =
        new OutputTag<>("stateweave-transactions-rejections", Transactions.RESULT_TYPE);

    @Override
    public void processElement(
        Either<TransactionRequest, TransactionResult> record,
        Context context,
        Collector<TransactionRequest> out) {
      if (record.isLeft()) {
        out.collect(record.left());
      } else {
        context.output(REJECTIONS, record.right());
      }
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
