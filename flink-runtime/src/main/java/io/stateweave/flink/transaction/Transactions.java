package io.stateweave.flink.transaction;

import io.stateweave.flink.message.SerializerTypeInfo;
import io.stateweave.sdk.entity.Entities;
import io.stateweave.sdk.entity.TransactionRequest;
import io.stateweave.sdk.entity.TransactionResult;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Puts transactions into a job: a stream of requests in, a stream of their answers out, one
 * answer per request; when a bounded request stream ends, its last epoch is answered and the
 * executor ends with it. With an exactly-once sink after it and checkpoints enabled, every request
 * is answered exactly once and every transaction applies fully or not at all, across failures.
 */
public final class Transactions {
  /** The requests' type information: our serializer, never Kryo. */
  public static final TypeInformation<TransactionRequest> REQUEST_TYPE =
      new SerializerTypeInfo<>(TransactionRequest.class, RequestSerializer::new);

  /** The answers' type information. */
  public static final TypeInformation<TransactionResult> RESULT_TYPE =
      new SerializerTypeInfo<>(TransactionResult.class, ResultSerializer::new);

  private Transactions() {}

  /**
   * Runs the requests as transactions of the provider's entities, in one subtask whatever the
   * job's parallelism. The executor's uid is {@code stateweave-transactions}, which savepoints map
   * its state by.
   */
  public static SingleOutputStreamOperator<TransactionResult> execute(
      DataStream<TransactionRequest> requests, Entities.Provider entities, EpochOptions options) {
    Objects.requireNonNull(entities, "entities");
    Objects.requireNonNull(options, "options");
    // one key and one subtask: the whole epoch runs in one place, which owns every key group
    return requests
        .keyBy(request -> EpochOperator.KEY, Types.STRING)
        .transform("transactions", RESULT_TYPE, new EpochOperator(entities, options))
        .setParallelism(1)
        .uid("stateweave-transactions");
  }
}
