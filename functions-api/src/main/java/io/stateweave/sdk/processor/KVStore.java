package io.stateweave.sdk.processor;

import java.util.List;
import java.util.Optional;

/**
 * A named, ordered store of byte keys and values, fault tolerant with the task's checkpoints.
 *
 * <p>Partitioned by record key: a store seen in {@code process} holds the entries written while
 * processing records with the same Kafka key, and a scan sees those entries only. Keys are
 * ordered byte-wise, unsigned, plain keys before complex keys; complex keys by key group, then key,
 * then namespace, then user key.
 *
 * <p>Values are not copied, as in Flink's own heap state: {@code put} keeps the array it is given,
 * and {@code get} and {@code scan} return the stored arrays. Change neither afterwards; to change a
 * value, put a new array. On the heap backend a change would reach the store (and a checkpoint)
 * without a {@code put}, on RocksDB it would be lost. Keys are copied where the store keeps them.
 */
public interface KVStore {
  /** The stored value, not to be changed; empty when absent (a stored empty array is present). */
  Optional<byte[]> get(byte[] key);

  /** Stores {@code value} itself: do not change it afterwards. */
  void put(byte[] key, byte[] value);

  void delete(byte[] key);

  /** Plain entries whose key starts with {@code prefix}, in key order. */
  List<Entry<byte[]>> scan(byte[] prefix);

  /** Deletes the plain entries whose key starts with {@code prefix}; returns how many. */
  int deletePrefix(byte[] prefix);

  Optional<byte[]> get(ComplexKey key);

  void put(ComplexKey key, byte[] value);

  void delete(ComplexKey key);

  /**
   * Complex entries with the key group, key and namespace of {@code prefix} whose user key starts
   * with the prefix's user key (empty: all of them), in key order.
   */
  List<Entry<ComplexKey>> scan(ComplexKey prefix);

  /** Deletes what {@link #scan(ComplexKey)} would return; returns how many. */
  int deletePrefix(ComplexKey prefix);

  /** A stored key and its value. */
  record Entry<K>(K key, byte[] value) {}
}
