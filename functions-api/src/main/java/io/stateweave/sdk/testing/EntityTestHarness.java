package io.stateweave.sdk.testing;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.entity.CallGraph;
import io.stateweave.sdk.entity.Entities;
import io.stateweave.sdk.entity.EntityType;
import io.stateweave.sdk.entity.StateKey;
import io.stateweave.sdk.entity.TransactionRequest;
import io.stateweave.sdk.entity.TransactionResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs entity transactions in memory, without Flink, one at a time, in the order given: the
 * serial execution the runtime's concurrent one is equivalent to.
 *
 * <pre>{@code
 * EntityTestHarness bank = EntityTestHarness.forEntities(Entities.of(ACCOUNT));
 * bank.setState(ACCOUNT, "alice", 100L);
 * TransactionResult result = bank.run(ACCOUNT.name(), "transfer", "alice", "bob", 30L);
 * assertThat(result.committed()).isTrue();
 * assertThat(bank.state(ACCOUNT, "bob")).contains(30L);
 * }</pre>
 *
 * <p>State is kept as bytes of each entity type's state type, as the runtime keeps it, so a state
 * that does not survive its type's serialization, or that a function changes without {@code put},
 * shows here too. A request id run again returns its first result without running. Not
 * thread-safe.
 */
public final class EntityTestHarness {
  private final Entities entities;
  private final Map<StateKey, byte[]> state = new HashMap<>();
  private final Map<String, TransactionResult> results = new LinkedHashMap<>();
  private long nextTransactionId = 1;
  private final CallGraph.Snapshot snapshot =
      new CallGraph.Snapshot() {
        @Override
        public Optional<Object> read(StateKey key) {
          byte[] bytes = state.get(key);
          return bytes == null ? Optional.empty() : Optional.of(deserialize(key, bytes));
        }

        @Override
        public Map<String, Object> scan(TypeName entityType) {
          Map<String, Object> values = new HashMap<>();
          state.forEach(
              (key, bytes) -> {
                if (key.entityType().equals(entityType)) {
                  values.put(key.key(), deserialize(key, bytes));
                }
              });
          return values;
        }
      };

  private EntityTestHarness(Entities entities) {
    this.entities = entities;
  }

  public static EntityTestHarness forEntities(Entities entities) {
    return new EntityTestHarness(entities);
  }

  public <S> void setState(EntityType<S> type, String key, S value) {
    state.put(new StateKey(type.name(), key), type.stateType().serialize(value));
  }

  public <S> Optional<S> state(EntityType<S> type, String key) {
    byte[] bytes = state.get(new StateKey(type.name(), key));
    return bytes == null ? Optional.empty() : Optional.of(type.stateType().deserialize(bytes));
  }

  /** Runs the request as the next transaction, unless its id ran before. */
  public TransactionResult run(TransactionRequest request) {
    TransactionResult earlier = results.get(request.requestId());
    if (earlier != null) {
      return earlier;
    }
    long transactionId = nextTransactionId++;
    CallGraph.Execution execution = CallGraph.run(entities, snapshot, transactionId, request);
    TransactionResult result;
    if (execution.failed()) {
      result =
          TransactionResult.aborted(
              request.requestId(),
              transactionId,
              transactionId,
              execution.errorClass(),
              execution.errorMessage());
    } else {
      execution.writes().forEach(this::write);
      result =
          TransactionResult.committed(
              request.requestId(), transactionId, transactionId, execution.value());
    }
    results.put(request.requestId(), result);
    return result;
  }

  /** Runs a request with the id {@code request-<n>}, n counting the requests run so far. */
  public TransactionResult run(TypeName entityType, String function, String key, Object... args) {
    return run(
        TransactionRequest.of(
            "request-" + (results.size() + 1), entityType, function, key, args));
  }

  /** Every distinct request's result, in the order run. */
  public List<TransactionResult> results() {
    return Collections.unmodifiableList(new ArrayList<>(results.values()));
  }

  private Object deserialize(StateKey key, byte[] bytes) {
    return entities.type(key.entityType()).stateType().deserialize(bytes);
  }

  @SuppressWarnings("unchecked")
  private void write(StateKey key, Optional<Object> value) {
    if (value.isEmpty()) {
      state.remove(key);
    } else {
      EntityType<Object> type = (EntityType<Object>) entities.type(key.entityType());
      state.put(key, type.stateType().serialize(value.get()));
    }
  }
}
