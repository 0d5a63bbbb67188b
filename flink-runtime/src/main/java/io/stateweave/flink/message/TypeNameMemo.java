package io.stateweave.flink.message;

import io.stateweave.sdk.TypeName;
import java.util.Objects;
import java.util.function.Function;

/**
 * A value per {@link TypeName} in front of a slower look-up, direct-mapped by hash, two ways per
 * slot, matched by identity before equality: a thread's records carry the same few {@code TypeName}
 * instances, and an identity check is cheaper than a map's look-up, which compares the names'
 * strings when the instances differ. A slot keeps two instances, so that two instances of one name
 * (a function's own constant and the one read from the network) both match by identity; a third
 * matches by equality and is not written. Not thread-safe: each owner is used by one thread.
 */
final class TypeNameMemo<V> {
  private final Entry<V>[] entries;
  private final int slotMask;
  private final Function<TypeName, V> lookUp;

  @SuppressWarnings("unchecked")
  TypeNameMemo(int slots, Function<TypeName, V> lookUp) {
    if (slots <= 0 || Integer.bitCount(slots) != 1) {
      throw new IllegalArgumentException("slots must be a power of two, not " + slots);
    }
    this.entries = (Entry<V>[]) new Entry<?>[2 * slots];
    this.slotMask = slots - 1;
    this.lookUp = Objects.requireNonNull(lookUp, "lookUp");
  }

  V get(TypeName name) {
    int slot = (name.hashCode() & slotMask) << 1;
    Entry<V> first = entries[slot];
    if (first != null && first.name == name) {
      return first.value;
    }
    Entry<V> second = entries[slot + 1];
    if (second != null && second.name == name) {
      return second.value;
    }
    boolean firstEqual = first != null && first.name.equals(name);
    if (firstEqual && second != null && second.name.equals(name)) {
      return first.value;
    }
    if (firstEqual) {
      entries[slot + 1] = new Entry<>(name, first.value);
      return first.value;
    }
    V value = lookUp.apply(name);
    entries[slot + 1] = first;
    entries[slot] = new Entry<>(name, value);
    return value;
  }

  private static final class Entry<V> {
    final TypeName name;
    final V value;

    Entry(TypeName name, V value) {
      this.name = name;
      this.value = value;
    }
  }
}
