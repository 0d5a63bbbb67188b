package io.stateweave.flink.message;

import java.io.IOException;
import java.io.ObjectStreamException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Base of the serializers of the runtime's immutable records: no copies, no reuse. An instance may
 * cache what it has read (the envelopes' type names, see {@link TypeNameCodec}), so it belongs to
 * one thread: {@link #duplicate()} gives another thread a fresh one, as Flink's contract for
 * stateful serializers asks, and equality ignores the caches.
 */
public abstract class RecordSerializer<T> extends TypeSerializer<T> {
  private static final long serialVersionUID = 1L;

  /** A new instance with the same configuration and empty caches. */
  @Override
  public abstract RecordSerializer<T> duplicate();

  /** A deserialized serializer (the job graph carries them) gets its caches made. */
  protected final Object readResolve() throws ObjectStreamException {
    return duplicate();
  }

  @Override
  public final boolean isImmutableType() {
    return true;
  }

  @Override
  public final T createInstance() {
    return null;
  }

  @Override
  public final T copy(T from) {
    return from;
  }

  @Override
  public final T copy(T from, T reuse) {
    return from;
  }

  @Override
  public final int getLength() {
    return -1;
  }

  @Override
  public final T deserialize(T reuse, DataInputView source) throws IOException {
    return deserialize(source);
  }

  @Override
  public final void copy(DataInputView source, DataOutputView target) throws IOException {
    serialize(deserialize(source), target);
  }

  /** Equal when of the same class; subclasses with configuration compare it too. */
  @Override
  public boolean equals(Object obj) {
    return obj != null && obj.getClass() == getClass();
  }

  @Override
  public int hashCode() {
    return getClass().hashCode();
  }
}
