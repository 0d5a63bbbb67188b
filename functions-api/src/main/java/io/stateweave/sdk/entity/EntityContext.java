package io.stateweave.sdk.entity;

import io.stateweave.sdk.TypeName;
import java.util.Optional;
import java.util.SortedMap;

/**
 * What an entity function sees: its entity's state, calls to other entities in the same
 * transaction, and the transaction's ids. Valid only while the function runs.
 */
public interface EntityContext<S> {

  /** The entity type the function belongs to. */
  TypeName entityType();

  /** The key of the entity the function runs for. */
  String key();

  /**
   * The entity's state as this transaction sees it: the state before the transaction, with the
   * writes of its functions that already returned and this function's own puts.
   */
  Optional<S> get();

  /** Sets the entity's state; visible to others only if the transaction commits. */
  void put(S value);

  /** Removes the entity's state, as part of the transaction. */
  void clear();

  /**
   * Reads the state of another entity, {@code (entityType, key)}, as this transaction sees it (as
   * a call to that entity that only did {@code get()} would), without calling it. The key counts
   * as read by the transaction, as any {@code get()} does, so a write of it by another
   * transaction in the same epoch may make this one run again. For this entity's own key it is
   * {@link #get()}.
   */
  <T> Optional<T> read(EntityType<T> entityType, String key);

  /**
   * Every entity of {@code entityType} that has state, by key in key order, as this transaction
   * sees it (each value as {@link #read} would give it): a read-only view of the type's state,
   * Styx's {@code data}. The transaction counts as reading every key of the type, also keys
   * without state, so a write of any entity of the type by another transaction of the same epoch
   * may make this one run again. Costs a read of every entity of the type.
   */
  <T> SortedMap<String, T> scan(EntityType<T> entityType);

  /**
   * Calls {@code function} of the entity {@code (entityType, key)} inside this transaction. The
   * call's answer is available from the returned result.
   */
  CallResult callAsync(TypeName entityType, String function, String key, Object... args);

  /** The transaction's id: its place in the order the runtime sequenced requests. */
  long transactionId();

  /** The id the client gave its request. */
  String requestId();
}
