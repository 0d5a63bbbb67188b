package io.stateweave.flink.translation;

import io.stateweave.flink.egress.EgressBinder;
import io.stateweave.flink.ingress.DeadLetter;
import io.stateweave.flink.ingress.IngressBinder;
import io.stateweave.flink.ingress.IngressRouter;
import io.stateweave.flink.ingress.IngressRouter.BadRecordPolicy;
import io.stateweave.flink.module.EntitiesSpec;
import io.stateweave.flink.module.KafkaEgressSpec;
import io.stateweave.flink.module.ModuleSpec;
import io.stateweave.flink.module.TransactionsKafkaSpec;
import io.stateweave.flink.transaction.EpochOptions;
import io.stateweave.flink.message.TypedValueSerializer;
import io.stateweave.flink.transaction.Transactions;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
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
import org.apache.flink.streaming.api.datastream.DataStream;
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

  /**
   * A request record as read: the request (left), or instead of one (right) the answer rejecting
   * it (left) or, for a record without a key, its dead letter (right).
   */
  private static final TypeInformation<
          Either<TransactionRequest, Either<TransactionResult, TypedValue>>>
      READ_TYPE =
          new EitherTypeInfo<>(
              Transactions.REQUEST_TYPE,
              new EitherTypeInfo<>(Transactions.RESULT_TYPE, TypedValueSerializer.TYPE_INFO));

  private KafkaTransactions() {}

  /**
   * Adds the module's transactions to {@code env}; returns the dead letters of request records
   * without a key, for the dead-letter egress (none unless {@code badRecords} is {@code
   * DEAD_LETTER}).
   */
  static DataStream<TypedValue> bind(
      StreamExecutionEnvironment env, ModuleSpec module, BadRecordPolicy badRecords) {
    TransactionsKafkaSpec spec = module.transactions().get(0);
    Properties properties = new Properties();
    properties.putAll(spec.properties());
    KafkaSource<Either<TransactionRequest, Either<TransactionResult, TypedValue>>> source =
        KafkaSource.<Either<TransactionRequest, Either<TransactionResult, TypedValue>>>builder()
            .setProperties(properties)
            .setBootstrapServers(spec.address())
            .setGroupId(spec.consumerGroupId())
            .setTopics(spec.requestTopic())
            // requests sent before the job first started are answered too: a new group starts
            // at the earliest offsets
            .setStartingOffsets(
                IngressBinder.kafkaStartingOffsets(
                    spec.startupPosition(), OffsetResetStrategy.EARLIEST))
            .setDeserializer(new RequestReader(spec.id(), badRecords))
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
    return requests.getSideOutput(IngressRouter.DEAD_LETTERS);
  }

  /** Every entities document's providers as one: entity types may call each other's. */
  private static EntitiesSpec provider(ModuleSpec module) {
    List<String> providers = new ArrayList<>();
    module.entities().forEach(entities -> providers.addAll(entities.providers()));
    return new EntitiesSpec(providers);
  }

  private static EpochOptions epochOptions(TransactionsKafkaSpec spec) {
    return new EpochOptions(
        spec.epochMaxSize(), spec.epochMaxDelay(), spec.answerRetention(), spec.entityCache());
  }

  /**
   * A record's key is its request id, its value the request's byte form. A record with a key but
   * without a request of that id as its value is answered under its key with a rejection, so the
   * client learns why rather than waiting, and the job goes on. A record without a key has no one
   * to answer: it is an undeliverable record like an ingress's, counted in {@code
   * stateweave.badRecords} and then failing the job or becoming a dead letter, by the policy.
   */
  static final class RequestReader
      implements KafkaRecordDeserializationSchema<
          Either<TransactionRequest, Either<TransactionResult, TypedValue>>> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RequestReader.class);

    private final TypeName transactions;
    private final BadRecordPolicy badRecordPolicy;
    private transient Counter badRecords;

    RequestReader(TypeName transactions, BadRecordPolicy badRecordPolicy) {
      this.transactions = Objects.requireNonNull(transactions, "transactions");
      this.badRecordPolicy = Objects.requireNonNull(badRecordPolicy, "badRecordPolicy");
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
        Collector<Either<TransactionRequest, Either<TransactionResult, TypedValue>>> out) {
      if (hasNoKey(record)) {
        badRecords.inc();
        // under FAIL this throws: the source fails the job, naming the record and why
        out.collect(Either.Right(Either.Right(badRecordPolicy.reject(deadLetter(record)))));
        return;
      }
      Either<TransactionRequest, Either<TransactionResult, TypedValue>> read = read(record);
      if (read.isRight()) {
        LOG.warn("Rejecting {}", read.right().left().errorMessage());
      }
      out.collect(read);
    }

    private static boolean hasNoKey(ConsumerRecord<byte[], byte[]> record) {
      return record.key() == null || record.key().length == 0;
    }

    /** The dead letter of a record without a key, from these transactions as its ingress. */
    DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> record) {
      return new DeadLetter(
          transactions,
          DeadLetter.kafkaOrigin(record),
          "has no key, which is the request id to answer under",
          record.key() == null ? null : "",
          null,
          record.value());
    }

    /**
     * The request a record with a key holds, or the rejection to answer under its key; never a
     * dead letter.
     */
    static Either<TransactionRequest, Either<TransactionResult, TypedValue>> read(
        ConsumerRecord<byte[], byte[]> record) {
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
          Either.Left(
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
                      + problem)));
    }

    @Override
    public TypeInformation<Either<TransactionRequest, Either<TransactionResult, TypedValue>>>
        getProducedType() {
      return READ_TYPE;
    }
  }

  /**
   * Requests go on to the executor; rejections, already answers, and dead letters to side outputs.
   */
  private static final class SplitRejections
      extends ProcessFunction<
          Either<TransactionRequest, Either<TransactionResult, TypedValue>>, TransactionRequest> {
    private static final long serialVersionUID = 1L;
    static final OutputTag<TransactionResult> REJECTIONS =
        new OutputTag<>("stateweave-transactions-rejections", Transactions.RESULT_TYPE);

    @Override
    public void processElement(
        Either<TransactionRequest, Either<TransactionResult, TypedValue>> record,
        Context context,
        Collector<TransactionRequest> out) {
      if (record.isLeft()) {
        out.collect(record.left());
      } else if (record.right().isLeft()) {
        context.output(REJECTIONS, record.right().left());
      } else {
        context.output(IngressRouter.DEAD_LETTERS, record.right().right());
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
