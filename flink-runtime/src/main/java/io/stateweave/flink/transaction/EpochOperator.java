package io.stateweave.flink.transaction;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.entity.Entities;
import io.stateweave.sdk.entity.StateKey;
import io.stateweave.sdk.entity.TransactionRequest;
import io.stateweave.sdk.entity.TransactionResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.VoidNamespace;
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
 *
 * <p>Every request comes keyed by the one constant {@link #KEY}, and the operator runs in one
 * subtask, which owns every key group. Its state is nevertheless kept under many keys: each
 * entity's under the entity's key, each answer under its request id. The heap backend copies a
 * key's value on its first change after a checkpoint began, so state under one key would be
 * copied whole at every checkpoint; under many keys only what changes is copied. Entities reach
 * that state through an {@link EntityCache}, which the barrier also finds written back.
 */
final class EpochOperator extends AbstractStreamOperator<TransactionResult>
    implements OneInputStreamOperator<TransactionRequest, TransactionResult>, BoundedOneInput {
  private static final long serialVersionUID = 1L;

  /** The key every request is keyed by, and the operator's own counters are kept under. */
  static final String KEY = "";

  private final Entities.Provider provider;
  private final EpochOptions options;

  private transient EpochExecutor executor;
  private transient EntityCache store;
  private transient List<TransactionRequest> open;
  // numbers the epochs, so that a timer knows whether its epoch is still the open one
  private transient long closedEpochs;
  private transient StreamRecord<TransactionResult> reusedRecord;
  private transient int keyGroups;
  private transient KeptAnswers answerForm;

  private transient ValueState<Long> nextTransactionId;
  private transient ValueState<Long> nextSequence;
  // under each request id: its answer, kept without the id
  private transient ValueState<byte[]> answered;
  // under each answering epoch's number, until its answers expire: its processing time, read at
  // every epoch, apart from the ids it answered, read once
  private transient ValueState<Long> answeredAt;
  private transient ValueState<byte[]> answeredIds;
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
    keyGroups = getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks();
    nextTransactionId =
        getRuntimeContext().getState(new ValueStateDescriptor<>("next-transaction", Types.LONG));
    nextSequence =
        getRuntimeContext().getState(new ValueStateDescriptor<>("next-sequence", Types.LONG));
    answerForm = new KeptAnswers();
    answered =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>(
                    "answered", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    // Not Flink's state TTL: it cleans up only keys it happens to visit (heap) or compacts
    // (RocksDB), and an answer's id is seldom visited again.
    answeredAt =
        getRuntimeContext().getState(new ValueStateDescriptor<>("answered-at", Types.LONG));
    answeredIds =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>(
                    "answered-ids", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    oldestAnsweringEpoch =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("oldest-answering-epoch", Types.LONG));
    nextAnsweringEpoch =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("next-answering-epoch", Types.LONG));
    Map<TypeName, ValueState<byte[]>> entityStates = new HashMap<>();
    for (TypeName type : entities.types().keySet()) {
      entityStates.put(
          type,
          getRuntimeContext()
              .getState(
                  new ValueStateDescriptor<>(
                      stateName(type),
                      PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)));
    }
    store = new EntityCache(new KeyedStore(entityStates), options.entityCache().getBytes());
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
    store.flush();
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
    long transactionId = orZero(nextTransactionId.value());
    long firstSequence = orZero(nextSequence.value()) + 1;
    long oldestAnswering = orZero(oldestAnsweringEpoch.value());
    long answering = orZero(nextAnsweringEpoch.value());
    long now = getProcessingTimeService().getCurrentProcessingTime();
    oldestAnswering = forgetAnswersOlderThanRetention(oldestAnswering, answering, now);

    List<EpochExecutor.Sequenced> epoch = new ArrayList<>(open.size());
    // a request id seen before gets its first answer again, never a second run: the answer kept
    // in state, or else the one this epoch gives
    List<String> repeated = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Map<String, TransactionResult> keptAnswers = keptAnswers();
    for (TransactionRequest request : open) {
      String requestId = request.requestId();
      if (!seen.add(requestId) || keptAnswers.containsKey(requestId)) {
        repeated.add(requestId);
      } else {
        epoch.add(new EpochExecutor.Sequenced(++transactionId, request));
      }
    }
    open.clear();

    List<TransactionResult> results = executor.run(epoch, store, firstSequence);
    Map<String, TransactionResult> answers = new HashMap<>();
    for (TransactionResult result : results) {
      answers.put(result.requestId(), result);
      emit(result);
    }
    for (String requestId : inStateOrder(answers.keySet(), Function.identity())) {
      setCurrentKey(requestId);
      answered.update(answerForm.answer(answers.get(requestId)));
    }
    if (!answers.isEmpty()) {
      setCurrentKey(Long.toString(answering));
      answeredAt.update(now);
      answeredIds.update(answerForm.requestIds(answers.keySet()));
      answering++;
    }
    setCurrentKey(KEY);
    nextTransactionId.update(transactionId);
    nextSequence.update(firstSequence + results.size() - 1);
    oldestAnsweringEpoch.update(oldestAnswering);
    nextAnsweringEpoch.update(answering);
    for (String requestId : repeated) {
      TransactionResult kept = keptAnswers.get(requestId);
      emit(kept != null ? kept : answers.get(requestId));
    }
  }

  /** The answers kept for the open epoch's request ids, looked up in state order. */
  private Map<String, TransactionResult> keptAnswers() throws Exception {
    Map<String, TransactionResult> kept = new HashMap<>();
    Set<String> requestIds = new HashSet<>();
    for (TransactionRequest request : open) {
      requestIds.add(request.requestId());
    }
    for (String requestId : inStateOrder(requestIds, Function.identity())) {
      setCurrentKey(requestId);
      byte[] answer = answered.value();
      if (answer != null) {
        kept.put(requestId, KeptAnswers.answer(requestId, answer));
      }
    }
    return kept;
  }

  /**
   * The keys sorted by key group, then as RocksDB orders them within one: consecutive accesses
   * then fall near each other in its memtables and files. Measured on RocksDB with new request
   * ids, which are nearly never found: see docs/benchmarks.md, thirteenth session.
   */
  private <T> List<T> inStateOrder(Collection<T> items, Function<T, String> keyOf) {
    List<InKeyGroup<T>> placed = new ArrayList<>(items.size());
    for (T item : items) {
      String key = keyOf.apply(item);
      placed.add(
          new InKeyGroup<>(KeyGroupRangeAssignment.assignToKeyGroup(key, keyGroups), key, item));
    }
    placed.sort(InKeyGroup.ORDER);
    List<T> sorted = new ArrayList<>(placed.size());
    for (InKeyGroup<T> each : placed) {
      sorted.add(each.item());
    }
    return sorted;
  }

  /** An item with its key's key group, computed once for a sort rather than per comparison. */
  private record InKeyGroup<T>(int keyGroup, String key, T item) {
    static final Comparator<InKeyGroup<?>> ORDER =
        Comparator.<InKeyGroup<?>>comparingInt(InKeyGroup::keyGroup)
            .thenComparingInt(each -> each.key().length())
            .thenComparing(InKeyGroup::key);
  }

  private void emit(TransactionResult result) {
    output.collect(reusedRecord.replace(result));
  }

  /**
   * Drops the answers of the epochs from {@code oldest} on that answered at least the retention
   * before {@code now}; returns the oldest epoch whose answers are still kept.
   */
  private long forgetAnswersOlderThanRetention(long oldest, long next, long now) throws Exception {
    long retention = options.answerRetention().toMillis();
    while (oldest < next) {
      setCurrentKey(Long.toString(oldest));
      if (answeredAt.value() + retention > now) {
        break;
      }
      List<String> requestIds = KeptAnswers.requestIds(answeredIds.value());
      answeredAt.clear();
      answeredIds.clear();
      for (String requestId : requestIds) {
        setCurrentKey(requestId);
        answered.clear();
      }
      oldest++;
    }
    return oldest;
  }

  private static String stateName(TypeName entityType) {
    return "entity." + entityType.canonical();
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }

  /** The entities' state, each under its key; backend failures fail the job. */
  private final class KeyedStore implements EpochExecutor.Store {
    private final Map<TypeName, ValueState<byte[]>> entityStates;

    KeyedStore(Map<TypeName, ValueState<byte[]>> entityStates) {
      this.entityStates = entityStates;
    }

    @Override
    public Optional<byte[]> read(StateKey key) {
      try {
        setCurrentKey(key.key());
        return Optional.ofNullable(entityStates.get(key.entityType()).value());
      } catch (Exception e) {
        throw new StateAccessError(e);
      }
    }

    /** Reads the keys first: a backend's key stream must not see state accessed meanwhile. */
    @Override
    public Map<String, byte[]> scan(TypeName entityType) {
      try {
        List<String> keys;
        try (Stream<String> stream =
            EpochOperator.this.<String>getKeyedStateBackend()
                .getKeys(stateName(entityType), VoidNamespace.INSTANCE)) {
          keys = stream.collect(Collectors.toList());
        }
        ValueState<byte[]> state = entityStates.get(entityType);
        Map<String, byte[]> entities = new HashMap<>();
        for (String key : keys) {
          setCurrentKey(key);
          byte[] value = state.value();
          if (value != null) {
            entities.put(key, value);
          }
        }
        return entities;
      } catch (Exception e) {
        throw new StateAccessError(e);
      }
    }

    @Override
    public void write(Map<StateKey, Optional<byte[]>> values) {
      try {
        for (StateKey key : inStateOrder(values.keySet(), StateKey::key)) {
          Optional<byte[]> value = values.get(key);
          setCurrentKey(key.key());
          ValueState<byte[]> state = entityStates.get(key.entityType());
          if (value.isPresent()) {
            state.update(value.get());
          } else {
            state.clear();
          }
        }
      } catch (Exception e) {
        throw new StateAccessError(e);
      }
    }
  }
}
