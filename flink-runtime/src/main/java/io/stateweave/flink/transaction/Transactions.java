package io.stateweave.flink.transaction;

import io.stateweave.flink.ingress.IngressRecord;
import io.stateweave.flink.ingress.KeepAliveSource;
import io.stateweave.flink.message.SerializerTypeInfo;
import io.stateweave.sdk.entity.Entities;
import io.stateweave.sdk.entity.TransactionRequest;
import io.stateweave.sdk.entity.TransactionResult;
import java.util.Objects;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;

/**
 * Puts transactions into a job: a stream of requests in, a stream of their answers out, one
 * answer per request. The job never ends by itself (a keep-alive source holds the executor's
 * input open, so that the last epoch's timer fires). With an exactly-once sink after it and checkpoints enabled, every request is
 * answered exactly once and every transaction applies fully or not at all, across failures.
 */
public final class Transactions {
  /** The requests' type information: our serializer, never Kryo. */
  public static final TypeInformation<TransactionRequest> REQUEST_TYPE =
      new SerializerTypeInfo<>(TransactionRequest.class, RequestSerializer::new);

  /** The answers' type information. */
  public static final TypeInformation<TransactionResult> RESULT_TYPE =
      new SerializerTypeInfo<>(TransactionResult.class, ResultSerializer::new);

  private Transactions() {}

  /** The keep-alive source emits nothing; this only gives its stream the requests' type. */
  private static final class NoRequests implements FlatMapFunction<IngressRecord, TransactionRequest> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(IngressRecord record, Collector<TransactionRequest> out) {}
  }

  /**
   * Runs the requests as transactions of the provider's entities. The executor's uid is {@code
   * stateweave-transactions}, which savepoints map its state by.
   */
  public static SingleOutputStreamOperator<TransactionResult> execute(
      DataStream<TransactionRequest> requests, Entities.Provider entities, EpochOptions options) {
    Objects.requireNonNull(entities, "entities");
    Objects.requireNonNull(options, "options");
    // Timers close epochs: bounded request streams must not end the executor's input.
    DataStream<TransactionRequest> kept =
        requests.union(
            requests
                .getExecutionEnvironment()
                .fromSource(new KeepAliveSource(), WatermarkStrategy.noWatermarks(), "keep alive")
                .uid("stateweave-transactions-keep-alive")
                .flatMap(new NoRequests(), REQUEST_TYPE)
                .name("no requests"));
    // one key: the whole epoch runs in one place (README, "Transactions": distributing it is next)
    return kept
        .keyBy(request -> (byte) 0, Types.BYTE)
        .process(new EpochFunction(entities, options), RESULT_TYPE)
        .name("transactions")
        .uid("stateweave-transactions");
  }
}
