package io.stateweave.flink.transaction;

import io.stateweave.sdk.entity.CallGraph;
import io.stateweave.sdk.entity.Entities;
import io.stateweave.sdk.entity.EntityType;
import io.stateweave.sdk.entity.StateKey;
import io.stateweave.sdk.entity.TransactionRequest;
import io.stateweave.sdk.entity.TransactionResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs one epoch: every transaction against the state at the epoch's start (batch phase), the
 * Aria rule on the write reservations to decide which of them commit, then the others one by one
 * against the state as it is by then (fallback phase). Decisions depend on the epoch's requests and
 * the state at its start only, so running an epoch again after a restore decides the same.
 */
final class EpochExecutor {

  /** The committed state, as bytes of each entity type's state type. */
  interface Store {
    Optional<byte[]> read(StateKey key);

    /** Empty removes the entity's state. */
    void write(StateKey key, Optional<byte[]> value);
  }

  /** A request with the transaction id the sequencer gave it. */
  record Sequenced(long transactionId, TransactionRequest request) {}

  /** What one run of a transaction did, with its writes already in bytes. */
  private record Run(
      Sequenced transaction,
      Set<StateKey> reads,
      Map<StateKey, Optional<byte[]>> writes,
      boolean failed,
      Object value,
      String errorClass,
      String errorMessage) {}

  private final Entities entities;

  EpochExecutor(Entities entities) {
    this.entities = entities;
  }

  /**
   * Runs the epoch, whose transactions are in increasing id order, and answers each request; the
   * answers are in the serial order the state is now equivalent to, numbered from {@code
   * firstSequence}.
   */
  List<TransactionResult> run(List<Sequenced> epoch, Store store, long firstSequence) {
    CallGraph.Snapshot snapshot =
        key ->
            store
                .read(key)
                .map(bytes -> entities.type(key.entityType()).stateType().deserialize(bytes));

    List<Run> batch = new ArrayList<>(epoch.size());
    // the reservations: per key, the smallest id of a transaction that writes it
    Map<StateKey, Long> firstWriter = new HashMap<>();
    long previous = Long.MIN_VALUE;
    for (Sequenced transaction : epoch) {
      if (transaction.transactionId() <= previous) {
        throw new IllegalArgumentException("An epoch's transactions must be in increasing id order");
      }
      previous = transaction.transactionId();
      Run run = execute(transaction, snapshot);
      batch.add(run);
      for (StateKey key : run.writes().keySet()) {
        firstWriter.merge(key, transaction.transactionId(), Math::min);
      }
    }

    List<TransactionResult> results = new ArrayList<>(epoch.size());
    List<Sequenced> fallback = new ArrayList<>();
    List<Run> decided = new ArrayList<>(epoch.size());
    long sequence = firstSequence;
    for (Run run : batch) {
      if (conflicts(run, firstWriter)) {
        fallback.add(run.transaction());
      } else {
        decided.add(run);
        results.add(result(run, sequence++));
      }
    }
    // Only now, with every batch run decided: the committed ones' writes are disjoint and none
    // of them was read by another committed one of a larger id, so the order does not matter.
    for (Run run : decided) {
      if (!run.failed()) {
        run.writes().forEach(store::write);
      }
    }

    for (Sequenced transaction : fallback) {
      Run run = execute(transaction, snapshot);
      if (!run.failed()) {
        run.writes().forEach(store::write);
      }
      results.add(result(run, sequence++));
    }
    return results;
  }

  /**
   * Aria's rule without reordering: a smaller id wrote a key this one wrote (write-after-write) or
   * read (read-after-write). A failed run is judged too: its failure may come from a stale read.
   */
  private static boolean conflicts(Run run, Map<StateKey, Long> firstWriter) {
    long id = run.transaction().transactionId();
    for (StateKey key : run.writes().keySet()) {
      if (firstWriter.get(key) < id) {
        return true;
      }
    }
    for (StateKey key : run.reads()) {
      Long writer = firstWriter.get(key);
      if (writer != null && writer < id) {
        return true;
      }
    }
    return false;
  }

  private Run execute(Sequenced transaction, CallGraph.Snapshot snapshot) {
    CallGraph.Execution execution =
        CallGraph.run(entities, snapshot, transaction.transactionId(), transaction.request());
    Map<StateKey, Optional<byte[]>> writes = new LinkedHashMap<>();
    String errorClass = execution.errorClass();
    String errorMessage = execution.errorMessage();
    for (Map.Entry<StateKey, Optional<Object>> write : execution.writes().entrySet()) {
      try {
        writes.put(write.getKey(), write.getValue().map(value -> serialize(write.getKey(), value)));
      } catch (RuntimeException e) {
        // a state its type cannot write aborts the transaction, as a function's exception does
        writes.put(write.getKey(), Optional.empty());
        if (errorClass == null) {
          errorClass = e.getClass().getName();
          errorMessage = e.getMessage();
        }
      }
    }
    boolean failed = errorClass != null;
    return new Run(
        transaction,
        execution.reads(),
        writes,
        failed,
        failed ? null : execution.value(),
        errorClass,
        errorMessage);
  }

  @SuppressWarnings("unchecked")
  private byte[] serialize(StateKey key, Object value) {
    EntityType<Object> type = (EntityType<Object>) entities.type(key.entityType());
    return type.stateType().serialize(value);
  }

  private static TransactionResult result(Run run, long sequence) {
    String requestId = run.transaction().request().requestId();
    long id = run.transaction().transactionId();
    return run.failed()
        ? TransactionResult.aborted(requestId, id, sequence, run.errorClass(), run.errorMessage())
        : TransactionResult.committed(requestId, id, sequence, run.value());
  }
}
