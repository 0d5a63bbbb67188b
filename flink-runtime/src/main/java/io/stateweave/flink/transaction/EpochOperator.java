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
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Sequencer and executor in one: collects an epoch of requests in memory, gives each its
 * transaction id and runs the epoch whole inside one call. An epoch closes when full, {@code
 * maxDelay} after its first request, at the end of the input, and before every checkpoint barrier
 * leaves the operator: a checkpoint never holds an open epoch, so the requests waiting in one need
 * no state, and a checkpoint holds each epoch entirely applied and answered or not yet received.
 * Keyed by the one constant {@link #KEY}, so the entities' state lives in Flink's keyed state (one
 * map state per entity type) on either backend.
 */
final class EpochOperator extends AbstractStreamOperator<TransactionResult>
    implements OneInputStreamOperator<TransactionRequest, TransactionResult>, BoundedOneInput {
  private static final long serialVersionUID = 1L;

  /** The key every request is keyed by: the whole epoch runs in one place. */
  static final Byte KEY = (byte) 0;

  private final Entities.Provider provider;
  private final EpochOptions options;

  private transient EpochExecutor executor;
  private transient KeyedStore store;
  private transient List<TransactionRequest> open;
  // numbers the epochs, so that a timer knows whether its epoch is still the open one
  private transient long closedEpochs;
  private transient StreamRecord<TransactionResult> reusedRecord;

  private transient ValueState<Long> nextTransactionId;
  private transient ValueState<Long> nextSequence;
  private transient MapState<String, TransactionResult> answered;
  // the ids each answering epoch added to `answered`, with its processing time, until they expire
  private transient MapState<Long, Tuple2<Long, List<String>>> answeredByEpoch;
  private transient ValueState<Long> oldestAnsweringEpoch;
  private transient ValueState<Long> nextAnsweringEpoch;

  EpochOperator(Entities.Provider provider, EpochOptions options) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public void open() throws Exception {
    super.open();
    Entities entities = provider.entities();
    executor = new EpochExecutor(entities);
    open = new ArrayList<>(options.maxSize());
    reusedRecord = new StreamRecord<>(null);
    nextTransactionId =
        getRuntimeContext().getState(new ValueStateDescriptor<>("next-transaction", Types.LONG));
    nextSequence =
        getRuntimeContext().getState(new ValueStateDescriptor<>("next-sequence", Types.LONG));
    answered =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>("answered", Types.STRING, Transactions.RESULT_TYPE));
    // Not Flink's state TTL: its background cleanup on the heap backend walks a map state's whole
    // map per state access, and this operator's maps all sit under one key.
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
    Map<TypeName, MapState<String, byte[]>> entityStates = new HashMap<>();
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
    store = new KeyedStore(entityStates);
  }

  @Override
  public void processElement(StreamRecord<TransactionRequest> element) throws Exception {
    open.add(element.getValue());
    if (open.size() >= options.maxSize()) {
      closeEpoch();
    } else if (open.size() == 1) {
      long epoch = closedEpochs;
      long due =
          getProcessingTimeService().getCurrentProcessingTime() + options.maxDelay().toMillis();
      // Timers are never cancelled (a cancelled one may already wait in the mailbox): one whose
      // epoch closed earlier, full or at a barrier, finds a later epoch number and does nothing.
      getProcessingTimeService()
          .registerTimer(
              due,
              time -> {
                if (closedEpochs == epoch) {
                  closeEpoch();
                }
              });
    }
  }

  /** The barrier must find no epoch open: the requests in it are in no state. */
  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    closeEpoch();
    super.prepareSnapshotPreBarrier(checkpointId);
  }

  @Override
  public void endInput() throws Exception {
    closeEpoch();
  }

  /** Runs and answers the open epoch, if it holds any request. */
  private void closeEpoch() throws Exception {
    if (open.isEmpty()) {
      return;
    }
    closedEpochs++;
    // timers and the checkpoint's callback run with whatever key the last element left
    setCurrentKey(KEY);
    long now = getProcessingTimeService().getCurrentProcessingTime();
    forgetAnswersOlderThanRetention(now);
    List<EpochExecutor.Sequenced> epoch = new ArrayList<>(open.size());
    // a request id seen before gets its first answer again, never a second run: the answer kept
    // in state, or else the one this epoch gives
    List<String> repeated = new ArrayList<>();
    Map<String, TransactionResult> earlier = new HashMap<>();
    long transactionId = orZero(nextTransactionId.value());
    for (TransactionRequest request : open) {
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
    open.clear();
    nextTransactionId.update(transactionId);

    long firstSequence = orZero(nextSequence.value()) + 1;
    List<TransactionResult> results = executor.run(epoch, store, firstSequence);
    nextSequence.update(firstSequence + results.size() - 1);
    Map<String, TransactionResult> answers = new HashMap<>();
    for (TransactionResult result : results) {
      answers.put(result.requestId(), result);
      emit(result);
    }
    // one write batch on RocksDB instead of a call per answer
    answered.putAll(answers);
    if (!answers.isEmpty()) {
      long answering = orZero(nextAnsweringEpoch.value());
      answeredByEpoch.put(answering, Tuple2.of(now, new ArrayList<>(answers.keySet())));
      nextAnsweringEpoch.update(answering + 1);
    }
    for (String requestId : repeated) {
      TransactionResult kept = earlier.get(requestId);
      emit(kept != null ? kept : answers.get(requestId));
    }
  }

  private void emit(TransactionResult result) {
    output.collect(reusedRecord.replace(result));
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

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }

  /** The entities' state in the keyed map states; backend failures fail the job. */
  private static final class KeyedStore implements EpochExecutor.Store {
    private final Map<TypeName, MapState<String, byte[]>> entityStates;

    KeyedStore(Map<TypeName, MapState<String, byte[]>> entityStates) {
      this.entityStates = entityStates;
    }

    @Override
    public Optional<byte[]> read(StateKey key) {
      try {
        return Optional.ofNullable(entityStates.get(key.entityType()).get(key.key()));
      } catch (Exception e) {
        throw new StateAccessError(e);
      }
    }

    /** One putAll per entity type: RocksDB's takes one write batch instead of a call per key. */
    @Override
    public void write(Map<StateKey, Optional<byte[]>> values) {
      try {
        Map<TypeName, Map<String, byte[]>> puts = new HashMap<>();
        for (Map.Entry<StateKey, Optional<byte[]>> write : values.entrySet()) {
          StateKey key = write.getKey();
          if (write.getValue().isPresent()) {
            puts.computeIfAbsent(key.entityType(), type -> new HashMap<>())
                .put(key.key(), write.getValue().get());
          } else {
            entityStates.get(key.entityType()).remove(key.key());
          }
        }
        for (Map.Entry<TypeName, Map<String, byte[]>> typePuts : puts.entrySet()) {
          entityStates.get(typePuts.getKey()).putAll(typePuts.getValue());
        }
      } catch (Exception e) {
        throw new StateAccessError(e);
      }
    }
  }
}
