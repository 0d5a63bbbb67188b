package io.stateweave.flink.dispatcher;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.ValueSpec;
import java.io.IOException;
import org.apache.flink.api.common.state.ValueState;

/**
 * One state of a function type, for the current key. Values of StateFun's primitive types, which
 * are immutable, are kept as they are (see {@link StateValueSerializer}): on the heap backend a
 * counter's read and write are then what a hand-written {@code ValueState<Integer>} costs, without
 * decoding and encoding its bytes on every invocation (docs/benchmarks.md, item 18). Values of
 * other types may be mutable, so they are kept as bytes, encoded when set.
 */
final class FunctionState<T> {
  private final TypeName function;
  private final ValueSpec<T> spec;
  private final ValueState<Object> state;

  /** The class of values kept decoded; null when the state keeps bytes. */
  private final Class<?> decodedClass;

  FunctionState(TypeName function, ValueSpec<T> spec, ValueState<Object> state) {
    this.function = function;
    this.spec = spec;
    this.state = state;
    this.decodedClass = StateValueSerializer.decodedClass(spec.type());
  }

  ValueSpec<T> spec() {
    return spec;
  }

  /** Reads without decoding: refreshes a time to live that counts reads. */
  void touch() throws IOException {
    state.value();
  }

  /** The current key's value, or null; reading refreshes a time to live that counts reads. */
  @SuppressWarnings("unchecked")
  T value() throws IOException {
    Object stored = state.value();
    if (stored instanceof byte[]) {
      // written by a type that keeps bytes, read from RocksDB, or restored from a checkpoint
      return spec.type().deserialize((byte[]) stored);
    }
    return (T) stored;
  }

  void update(T value) throws IOException {
    if (decodedClass == null) {
      state.update(spec.type().serialize(value));
    } else if (value.getClass() == decodedClass) {
      state.update(value);
    } else {
      // only an unchecked cast gets here; caught now, not when a checkpoint encodes the value
      throw new IllegalArgumentException(
          "Function "
              + function
              + " set state '"
              + spec.name()
              + "' of type "
              + spec.type().typeName()
              + " to a "
              + value.getClass().getName()
              + ", not a "
              + decodedClass.getName());
    }
  }

  void clear() {
    state.clear();
  }
}
