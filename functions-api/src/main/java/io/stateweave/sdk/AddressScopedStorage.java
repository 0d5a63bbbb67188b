package io.stateweave.sdk;

import java.util.Optional;

/**
 * The state of the function instance being invoked: scoped to its function type and address id,
 * persisted and restored by the runtime. Absent and set are told apart.
 */
public interface AddressScopedStorage {

  /** The value, or empty when it was never set, was removed, or expired. */
  <T> Optional<T> get(ValueSpec<T> spec);

  <T> void set(ValueSpec<T> spec, T value);

  void remove(ValueSpec<?> spec);
}
