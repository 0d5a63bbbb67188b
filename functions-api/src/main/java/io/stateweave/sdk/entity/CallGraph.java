package io.stateweave.sdk.entity;

import io.stateweave.sdk.TypeName;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Runs one transaction's call graph against a snapshot of the state, depth first: a call runs
 * when it is made, so its answer is there when the caller asks for it. Records every entity the
 * graph read and wrote and returns the writes instead of applying them: deciding whether they
 * apply is the caller's (a runtime's conflict check, or a test harness that runs transactions one
 * at a time). For runtimes and test harnesses, not for functions.
 *
 * <p>Visibility inside a transaction: a function sees its own puts, and the writes of the calls
 * that returned before it first read its state; its own puts become visible to the rest of the
 * transaction when it returns.
 */
public final class CallGraph {
  /** Bounds a call graph, so that functions calling each other forever abort their transaction. */
  public static final int MAX_CALLS = 100_000;

  /** Bounds the depth of nested calls, which run on the caller's stack. */
  public static final int MAX_DEPTH = 200;

  /** The committed state a transaction runs against, as values of each entity's state type. */
  public interface Snapshot {
    Optional<Object> read(StateKey key);

    /** Every entity of the type that has state, by key; a map the caller may change. */
    Map<String, Object> scan(TypeName entityType);
  }

  private final Entities entities;
  private final Snapshot snapshot;
  private final long transactionId;
  private final String requestId;
  private final Set<StateKey> reads = new LinkedHashSet<>();
  // made at the first scan: few transactions scan
  private Set<TypeName> scans = Set.of();
  private final Map<StateKey, Optional<Object>> writes = new LinkedHashMap<>();
  private String errorClass;
  private String errorMessage;
  private int calls;
  private int depth;

  private CallGraph(Entities entities, Snapshot snapshot, long transactionId, String requestId) {
    this.entities = entities;
    this.snapshot = snapshot;
    this.transactionId = transactionId;
    this.requestId = requestId;
  }

  /** Runs {@code request}'s call graph; never throws for what a function does. */
  public static Execution run(
      Entities entities, Snapshot snapshot, long transactionId, TransactionRequest request) {
    CallGraph graph =
        new CallGraph(
            Objects.requireNonNull(entities),
            Objects.requireNonNull(snapshot),
            transactionId,
            request.requestId());
    Object value = null;
    try {
      value =
          graph.invoke(request.entityType(), request.function(), request.key(), request.args());
    } catch (Exception e) {
      graph.fail(e);
    }
    return new Execution(
        Collections.unmodifiableSet(graph.reads),
        graph.scans.isEmpty() ? Set.of() : Collections.unmodifiableSet(graph.scans),
        Collections.unmodifiableMap(graph.writes),
        graph.errorClass == null ? value : null,
        graph.errorClass,
        graph.errorMessage);
  }

  private Object invoke(TypeName type, String function, String key, Args args) throws Exception {
    EntityType<?> entityType = entities.type(type);
    EntityFunction<?> fn = entityType.functions().get(function);
    if (fn == null) {
      throw new IllegalArgumentException(
          "Entity type "
              + type
              + " has no function '"
              + function
              + "' (functions: "
              + entityType.functions().keySet()
              + ")");
    }
    return invokeTyped(entityType, fn, key, args);
  }

  @SuppressWarnings("unchecked")
  private <S> Object invokeTyped(EntityType<S> type, EntityFunction<?> fn, String key, Args args)
      throws Exception {
    Invocation<S> invocation = new Invocation<>(new StateKey(type.name(), key));
    Object value = ((EntityFunction<S>) fn).apply(invocation, args);
    invocation.done = true;
    Values.check(value);
    if (invocation.dirty) {
      writes.put(invocation.stateKey, (Optional<Object>) invocation.value);
    }
    return value;
  }

  private CallFailedException fail(Exception e) {
    if (errorClass == null) {
      if (e instanceof CallFailedException) {
        // only a function that made up its own CallFailedException gets here first
        errorClass = ((CallFailedException) e).errorClass();
        errorMessage = ((CallFailedException) e).errorMessage();
      } else {
        errorClass = e.getClass().getName();
        errorMessage = e.getMessage();
      }
    }
    return new CallFailedException(errorClass, errorMessage);
  }

  private Optional<Object> view(StateKey key) {
    Optional<Object> written = writes.get(key);
    return written != null ? written : snapshot.read(key);
  }

  private final class Invocation<S> implements EntityContext<S> {
    final StateKey stateKey;
    Optional<S> value;
    boolean dirty;
    boolean done;

    Invocation(StateKey stateKey) {
      this.stateKey = stateKey;
    }

    @Override
    public TypeName entityType() {
      return stateKey.entityType();
    }

    @Override
    public String key() {
      return stateKey.key();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<S> get() {
      checkRunning();
      reads.add(stateKey);
      if (value == null) {
        value = (Optional<S>) view(stateKey);
      }
      return value;
    }

    @Override
    public void put(S newValue) {
      checkRunning();
      value = Optional.of(Objects.requireNonNull(newValue, "put(null): use clear()"));
      dirty = true;
    }

    @Override
    public void clear() {
      checkRunning();
      value = Optional.empty();
      dirty = true;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> Optional<T> read(EntityType<T> entityType, String key) {
      checkRunning();
      StateKey read = new StateKey(entityType.name(), Objects.requireNonNull(key, "key"));
      if (read.equals(stateKey)) {
        return (Optional<T>) get();
      }
      entities.type(entityType.name()); // an entity type the transaction does not know fails it
      reads.add(read);
      return (Optional<T>) view(read);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> SortedMap<String, T> scan(EntityType<T> entityType) {
      checkRunning();
      TypeName type = entityType.name();
      entities.type(type); // an entity type the transaction does not know fails it
      if (scans.isEmpty()) {
        scans = new LinkedHashSet<>();
      }
      scans.add(type);
      SortedMap<String, Object> view = new TreeMap<>(snapshot.scan(type));
      writes.forEach(
          (key, written) -> {
            if (key.entityType().equals(type)) {
              overlay(view, key.key(), written);
            }
          });
      if (value != null && type.equals(stateKey.entityType())) {
        overlay(view, stateKey.key(), (Optional<Object>) value);
      }
      return Collections.unmodifiableSortedMap((SortedMap<String, T>) view);
    }

    private void overlay(SortedMap<String, Object> view, String key, Optional<Object> value) {
      if (value.isPresent()) {
        view.put(key, value.get());
      } else {
        view.remove(key);
      }
    }

    @Override
    public CallResult callAsync(TypeName type, String function, String key, Object... args) {
      checkRunning();
      Args checked = Args.of(args);
      if (++calls > MAX_CALLS) {
        throw new IllegalStateException("A transaction's call graph exceeds " + MAX_CALLS + " calls");
      }
      if (depth >= MAX_DEPTH) {
        throw new IllegalStateException("Calls nested deeper than " + MAX_DEPTH);
      }
      depth++;
      try {
        Object answer = invoke(type, function, Objects.requireNonNull(key, "key"), checked);
        return () -> answer;
      } catch (Exception e) {
        CallFailedException failure = fail(e);
        return () -> {
          throw failure;
        };
      } finally {
        depth--;
      }
    }

    @Override
    public long transactionId() {
      return transactionId;
    }

    @Override
    public String requestId() {
      return requestId;
    }

    private void checkRunning() {
      if (done) {
        throw new IllegalStateException("The context of " + stateKey + " is used after it returned");
      }
    }
  }

  /** What a call graph did. */
  public static final class Execution {
    private final Set<StateKey> reads;
    private final Set<TypeName> scans;
    private final Map<StateKey, Optional<Object>> writes;
    private final Object value;
    private final String errorClass;
    private final String errorMessage;

    Execution(
        Set<StateKey> reads,
        Set<TypeName> scans,
        Map<StateKey, Optional<Object>> writes,
        Object value,
        String errorClass,
        String errorMessage) {
      this.reads = reads;
      this.scans = scans;
      this.writes = writes;
      this.value = value;
      this.errorClass = errorClass;
      this.errorMessage = errorMessage;
    }

    /** Every entity whose state a function of the graph read, in first-read order. */
    public Set<StateKey> reads() {
      return reads;
    }

    /** Every entity type the graph scanned: read all of, keys without state included. */
    public Set<TypeName> scans() {
      return scans;
    }

    /**
     * The state each written entity ends with, empty when cleared; also those of an aborted graph,
     * whose writes still reserve their keys.
     */
    public Map<StateKey, Optional<Object>> writes() {
      return writes;
    }

    /** True when a function threw: the transaction aborts, nothing of it may apply. */
    public boolean failed() {
      return errorClass != null;
    }

    public Object value() {
      return value;
    }

    public String errorClass() {
      return errorClass;
    }

    public String errorMessage() {
      return errorMessage;
    }
  }
}
