package io.stateweave.flink.transaction;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.entity.Entities;
import io.stateweave.sdk.entity.StateKey;
import io.stateweave.sdk.entity.TransactionRequest;
import io.stateweave.sdk.entity.TransactionResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Sequencer and executor in one: gives each request its transaction id, collects an epoch in
 * keyed state and runs it whole inside one call (an element or a timer), so that a checkpoint
 * barrier always falls between epochs: a checkpoint holds each epoch entirely applied and answered,
 * or still waiting. Keyed by one constant key, so the entities' state lives in Flink's keyed state
 * (one map state per entity type) on either backend.
 */
final class EpochFunction extends KeyedProcessFunction<Byte, TransactionRequest, TransactionResult> {
  private static final long serialVersionUID = 1L;

  private final Entities.Provider provider;
  private final EpochOptions options;

  private transient EpochExecutor executor;
  private transient ListState<TransactionRequest> pending;
  private transient ValueState<Integer> pendingCount;
  private transient ValueState<Long> closingTimer;
  private transient ValueState<Long> nextTransactionId;
  private transient ValueState<Long> nextSequence;
  private transient MapState<String, TransactionResult> answered;
  // the ids each answering epoch added to `answered`, with its processing time, until they expire
  private transient MapState<Long, Tuple2<Long, List<String>>> answeredByEpoch;
  private transient ValueState<Long> oldestAnsweringEpoch;
  private transient ValueState<Long> nextAnsweringEpoch;
  private transient Map<TypeName, MapState<String, byte[]>> entityStates;

  EpochFunction(Entities.Provider provider, EpochOptions options) {
    this.provider = provider;
    this.options = options;
  }

  @Override
  public void open(OpenContext openContext) {
    Entities entities = provider.entities();
    executor = new EpochExecutor(entities);
    pending =
        getRuntimeContext()
            .getListState(new ListStateDescriptor<>("pending", Transactions.REQUEST_TYPE));
    pendingCount =
        getRuntimeContext().getState(new ValueStateDescriptor<>("pending-count", Types.INT));
    closingTimer =
        getRuntimeContext().getState(new ValueStateDescriptor<>("closing-timer", Types.LONG));
    nextTransactionId =
        getRuntimeContext().getState(new ValueStateDescriptor<>("next-transaction", Types.LONG));
    nextSequence =
        getRuntimeContext().getState(new ValueStateDescriptor<>("next-sequence", Types.LONG));
    answered =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>("answered", Types.STRING, Transactions.RESULT_TYPE));
    // Not Flink's state TTL: its background cleanup on the heap backend walks a map state's whole
    // map per state access, and this function's maps all sit under one key.
    answeredByEpoch =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "answered-by-epoch",
                    Types.LONG,
                    Types.TUPLE(Types.LONG, Types.LIST(Types.STRING))));
    oldestAnsweringEpoch =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("oldest-answering-epoch", Types.LONG));
    nextAnsweringEpoch =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("next-answering-epoch", Types.LONG));
    entityStates = new HashMap<>();
    for (TypeName type : entities.types().keySet()) {
      entityStates.put(
          type,
          getRuntimeContext()
              .getMapState(
                  new MapStateDescriptor<>(
                      "entity." + type.canonical(),
                      Types.STRING,
                      PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)));
    }
  }

  @Override
  public void processElement(
      TransactionRequest request, Context context, Collector<TransactionResult> out)
      throws Exception {
    pending.add(request);
    int count = orZero(pendingCount.value()) + 1;
    pendingCount.update(count);
    if (count >= options.maxSize()) {
      closeEpoch(context, out);
    } else if (closingTimer.value() == null) {
      long due =
          context.timerService().currentProcessingTime() + options.maxDelay().toMillis();
      context.timerService().registerProcessingTimeTimer(due);
      closingTimer.update(due);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext context, Collector<TransactionResult> out)
      throws Exception {
    Long due = closingTimer.value();
    if (due != null && due == timestamp) {
      closingTimer.clear();
      closeEpoch(context, out);
    }
  }

  private void closeEpoch(Context context, Collector<TransactionResult> out) throws Exception {
    Long due = closingTimer.value();
    if (due != null) {
      context.timerService().deleteProcessingTimeTimer(due);
      closingTimer.clear();
    }
    long now = context.timerService().currentProcessingTime();
    forgetAnswersOlderThanRetention(now);
    List<EpochExecutor.Sequenced> epoch = new ArrayList<>();
    // a request id seen before gets its first answer again, never a second run: the answer kept
    // in state, or the one this epoch gives (null until it is known)
    List<String> repeated = new ArrayList<>();
    Map<String, TransactionResult> earlier = new HashMap<>();
    long transactionId = orZero(nextTransactionId.value());
    Iterable<TransactionRequest> requests = pending.get();
    if (requests != null) {
      for (TransactionRequest request : requests) {
        String requestId = request.requestId();
        if (earlier.containsKey(requestId)) {
          repeated.add(requestId);
          continue;
        }
        TransactionResult answer = answered.get(requestId);
        earlier.put(requestId, answer);
        if (answer != null) {
          repeated.add(requestId);
        } else {
          epoch.add(new EpochExecutor.Sequenced(++transactionId, request));
        }
      }
    }
    pending.clear();
    pendingCount.clear();
    nextTransactionId.update(transactionId);

    long firstSequence = orZero(nextSequence.value()) + 1;
    List<TransactionResult> results = executor.run(epoch, new KeyedStore(), firstSequence);
    nextSequence.update(firstSequence + results.size() - 1);
    List<String> answeredNow = new ArrayList<>(results.size());
    for (TransactionResult result : results) {
      answered.put(result.requestId(), result);
      answeredNow.add(result.requestId());
      earlier.put(result.requestId(), result);
      out.collect(result);
    }
    if (!answeredNow.isEmpty()) {
      long answering = orZero(nextAnsweringEpoch.value());
      answeredByEpoch.put(answering, Tuple2.of(now, answeredNow));
      nextAnsweringEpoch.update(answering + 1);
    }
    for (String requestId : repeated) {
      out.collect(earlier.get(requestId));
    }
  }

  /** Drops the answers of the epochs that answered at least the retention before {@code now}. */
  private void forgetAnswersOlderThanRetention(long now) throws Exception {
    long oldest = orZero(oldestAnsweringEpoch.value());
    long next = orZero(nextAnsweringEpoch.value());
    long retention = options.answerRetention().toMillis();
    while (oldest < next) {
      Tuple2<Long, List<String>> answers = answeredByEpoch.get(oldest);
      if (answers.f0 + retention > now) {
        break;
      }
      for (String requestId : answers.f1) {
        answered.remove(requestId);
      }
      answeredByEpoch.remove(oldest);
      oldest++;
    }
    oldestAnsweringEpoch.update(oldest);
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }

  /** The entities' state in the keyed map states; backend failures fail the job. */
  private final class KeyedStore implements EpochExecutor.Store {
    @Override
    public Optional<byte[]> read(StateKey key) {
      try {
        return Optional.ofNullable(entityStates.get(key.entityType()).get(key.key()));
      } catch (Exception e) {
        throw new StateAccessError(e);
      }
    }

    @Override
    public void write(StateKey key, Optional<byte[]> value) {
      try {
        MapState<String, byte[]> state = entityStates.get(key.entityType());
        if (value.isPresent()) {
          state.put(key.key(), value.get());
        } else {
          state.remove(key.key());
        }
      } catch (Exception e) {
        throw new StateAccessError(e);
      }
    }
  }
}
