package io.stateweave.flink.transaction;

import io.stateweave.sdk.TypeName;
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
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Runs one epoch: every transaction against the state at the epoch's start (batch phase), the
 * Aria rule on the read and write reservations to decide which of them commit and in which serial
 * order, then the others one by one against the state as it is by then (fallback phase).
 * Decisions depend on the epoch's requests and the state at its start only, so running an epoch
 * again after a restore decides the same.
 */
final class EpochExecutor {

  /** The committed state, as bytes of each entity type's state type. */
  interface Store {
    Optional<byte[]> read(StateKey key);

    /** Every entity of the type that has state, by key; a map the caller may change. */
    Map<String, byte[]> scan(TypeName entityType);

    /**
     * An epoch's committed writes, each key once, all at once so that a backend may batch them;
     * empty removes the entity's state.
     */
    void write(Map<StateKey, Optional<byte[]>> values);
  }

  /** A request with the transaction id the sequencer gave it. */
  record Sequenced(long transactionId, TransactionRequest request) {}

  /** What one run of a transaction did, with its writes already in bytes. */
  private record Run(
      Sequenced transaction,
      Set<StateKey> reads,
      Set<TypeName> scans,
      Map<StateKey, Optional<byte[]>> writes,
      boolean failed,
      Object value,
      String errorClass,
      String errorMessage) {}

  private final Entities entities;
  // The reservations: per key, the smallest id of a transaction that read it, and that wrote it;
  // per entity type, the smallest that scanned it, and that wrote any key of it; the serial
  // order's writer of each key. Kept from epoch to epoch, cleared after each, so that their
  // tables grow once rather than in every epoch.
  private final Map<StateKey, Long> firstReader = new HashMap<>();
  private final Map<StateKey, Long> firstWriter = new HashMap<>();
  private final Map<TypeName, Long> firstScanner = new HashMap<>();
  private final Map<TypeName, Long> firstTypeWriter = new HashMap<>();
  private final Map<StateKey, Integer> writerOf = new HashMap<>();

  EpochExecutor(Entities entities) {
    this.entities = Objects.requireNonNull(entities, "entities");
  }

  /**
   * Runs the epoch, whose transactions are in increasing id order, and answers each request; the
   * answers are in the serial order the state is now equivalent to, numbered from {@code
   * firstSequence}.
   */
  List<TransactionResult> run(List<Sequenced> epoch, Store store, long firstSequence) {
    try {
      return runEpoch(epoch, store, firstSequence);
    } finally {
      firstReader.clear();
      firstWriter.clear();
      firstScanner.clear();
      firstTypeWriter.clear();
      writerOf.clear();
    }
  }

  private List<TransactionResult> runEpoch(List<Sequenced> epoch, Store store, long firstSequence) {
    EpochCache cache = new EpochCache(store);
    CallGraph.Snapshot atStart = new Snapshot(cache, false);
    CallGraph.Snapshot committed = new Snapshot(cache, true);

    List<Run> batch = new ArrayList<>(epoch.size());
    long previous = Long.MIN_VALUE;
    for (Sequenced transaction : epoch) {
      if (transaction.transactionId() <= previous) {
        throw new IllegalArgumentException("An epoch's transactions must be in increasing id order");
      }
      previous = transaction.transactionId();
      Run run = execute(transaction, atStart);
      batch.add(run);
      Long id = transaction.transactionId(); // boxed once for all its reservations
      for (StateKey key : run.reads()) {
        firstReader.putIfAbsent(key, id);
      }
      for (TypeName type : run.scans()) {
        firstScanner.putIfAbsent(type, id);
      }
      for (StateKey key : run.writes().keySet()) {
        firstWriter.putIfAbsent(key, id);
        firstTypeWriter.putIfAbsent(key.entityType(), id);
      }
    }

    List<Run> decided = new ArrayList<>(epoch.size());
    List<Sequenced> fallback = new ArrayList<>();
    for (Run run : batch) {
      if (conflicts(run)) {
        fallback.add(run.transaction());
      } else {
        decided.add(run);
      }
    }
    List<TransactionResult> results = new ArrayList<>(epoch.size());
    long sequence = firstSequence;
    for (Run run : serialOrder(decided)) {
      results.add(result(run, sequence++));
    }
    // Only now, with every batch run decided: the committed ones' writes are disjoint, so the
    // order they are applied in does not matter.
    for (Run run : decided) {
      if (!run.failed()) {
        run.writes().forEach(cache::commit);
      }
    }

    for (Sequenced transaction : fallback) {
      Run run = execute(transaction, committed);
      if (!run.failed()) {
        run.writes().forEach(cache::commit);
      }
      results.add(result(run, sequence++));
    }
    cache.flush();
    return results;
  }

  /**
   * Aria's rule with deterministic reordering: a run conflicts when a smaller id wrote a key it
   * wrote (write-after-write), or when a smaller id wrote a key it read (read-after-write) and a
   * smaller id also read a key it wrote (write-after-read). With only one of the last two, it can
   * still be placed in a serial order; with both, it might be on a cycle. A failed run is judged
   * too: its failure may come from a stale read. A scan of an entity type reads every key of the
   * type, also those nobody has written yet.
   */
  private boolean conflicts(Run run) {
    long id = run.transaction().transactionId();
    boolean writeAfterRead = false;
    for (StateKey key : run.writes().keySet()) {
      if (firstWriter.get(key) < id) {
        return true;
      }
      writeAfterRead |=
          isBefore(firstReader.get(key), id) || isBefore(firstScanner.get(key.entityType()), id);
    }
    if (!writeAfterRead) {
      return false;
    }
    for (StateKey key : run.reads()) {
      if (isBefore(firstWriter.get(key), id)) {
        return true;
      }
    }
    for (TypeName type : run.scans()) {
      if (isBefore(firstTypeWriter.get(type), id)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isBefore(Long reservation, long id) {
    return reservation != null && reservation < id;
  }

  /**
   * The serial order of the batch's committed runs: each read the state at the epoch's start, so a
   * run that read a key another committed run wrote comes before that writer. Among committed runs
   * a key has at most one writer, and the rule leaves no cycle (on one, the largest id would have
   * both a read-after-write and a write-after-read); ties go to the smaller id, so the order is
   * deterministic and equals id order when no run was moved ahead.
   */
  private List<Run> serialOrder(List<Run> committed) {
    // runs by their index in committed, which is id order
    Map<TypeName, List<Integer>> writersOfType = new HashMap<>();
    for (int i = 0; i < committed.size(); i++) {
      if (!committed.get(i).failed()) {
        for (StateKey key : committed.get(i).writes().keySet()) {
          writerOf.put(key, i);
          if (!firstScanner.isEmpty()) {
            List<Integer> writers =
                writersOfType.computeIfAbsent(key.entityType(), type -> new ArrayList<>());
            if (writers.isEmpty() || writers.get(writers.size() - 1) != i) {
              writers.add(i);
            }
          }
        }
      }
    }
    List<List<Integer>> mustPrecede = new ArrayList<>(committed.size());
    int[] waitingFor = new int[committed.size()];
    for (int i = 0; i < committed.size(); i++) {
      List<Integer> writers = new ArrayList<>();
      for (StateKey key : committed.get(i).reads()) {
        Integer writer = writerOf.get(key);
        if (writer != null && writer != i) {
          writers.add(writer);
        }
      }
      for (TypeName type : committed.get(i).scans()) {
        for (int writer : writersOfType.getOrDefault(type, List.of())) {
          if (writer != i) {
            writers.add(writer);
          }
        }
      }
      for (int writer : writers) {
        waitingFor[writer]++;
      }
      mustPrecede.add(writers);
    }
    PriorityQueue<Integer> ready = new PriorityQueue<>();
    for (int i = 0; i < committed.size(); i++) {
      if (waitingFor[i] == 0) {
        ready.add(i);
      }
    }
    List<Run> order = new ArrayList<>(committed.size());
    while (!ready.isEmpty()) {
      int run = ready.poll();
      order.add(committed.get(run));
      for (int writer : mustPrecede.get(run)) {
        if (--waitingFor[writer] == 0) {
          ready.add(writer);
        }
      }
    }
    if (order.size() != committed.size()) {
      throw new IllegalStateException("The batch's committed transactions have a cycle");
    }
    return order;
  }

  private Run execute(Sequenced transaction, CallGraph.Snapshot snapshot) {
    CallGraph.Execution execution =
        CallGraph.run(entities, snapshot, transaction.transactionId(), transaction.request());
    Map<StateKey, Optional<byte[]>> writes = new LinkedHashMap<>();
    String errorClass = execution.errorClass();
    String errorMessage = execution.errorMessage();
    for (Map.Entry<StateKey, Optional<Object>> write : execution.writes().entrySet()) {
      try {
        Optional<Object> value = write.getValue();
        writes.put(
            write.getKey(),
            value.isPresent()
                ? Optional.of(serialize(write.getKey(), value.get()))
                : Optional.empty());
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
        execution.scans(),
        writes,
        failed,
        failed ? null : execution.value(),
        errorClass,
        errorMessage);
  }

  /** The epoch's state for call graphs: at its start (batch phase) or as committed so far. */
  private final class Snapshot implements CallGraph.Snapshot {
    private final EpochCache cache;
    private final boolean committed;

    Snapshot(EpochCache cache, boolean committed) {
      this.cache = cache;
      this.committed = committed;
    }

    @Override
    public Optional<Object> read(StateKey key) {
      Optional<byte[]> bytes = committed ? cache.committed(key) : cache.atStart(key);
      return bytes.isPresent()
          ? Optional.of(deserialize(key.entityType(), bytes.get()))
          : Optional.empty();
    }

    @Override
    public Map<String, Object> scan(TypeName entityType) {
      Map<String, byte[]> scanned =
          committed ? cache.committedScan(entityType) : cache.scanAtStart(entityType);
      Map<String, Object> values = new HashMap<>();
      scanned.forEach((key, bytes) -> values.put(key, deserialize(entityType, bytes)));
      return values;
    }
  }

  private Object deserialize(TypeName entityType, byte[] bytes) {
    return entities.type(entityType).stateType().deserialize(bytes);
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
