package io.stateweave.flink.message;

import io.stateweave.sdk.TypeName;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Function types a job knows when it is built, numbered, so that messages between its operators
 * carry a type as one byte instead of its name (see {@link NetworkEnvelopeSerializer}). Every
 * operator gets the same table with the job graph; names not in it are spelled out. Immutable, so
 * that the serializers of every thread can share it.
 */
public final class TypeNameTable implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Indexes are one byte, below the two markers of {@link NetworkEnvelopeSerializer}. */
  static final int MAX_SIZE = 0xFE;

  private static final Integer NOT_IN_TABLE = -1;

  private final TypeName[] names;
  private transient Map<TypeName, Integer> indexes;

  private TypeNameTable(TypeName[] names) {
    this.names = names;
    index();
  }

  /** The distinct names, in canonical order, the first {@value #MAX_SIZE} of them. */
  public static TypeNameTable of(Collection<TypeName> names) {
    return new TypeNameTable(
        names.stream()
            .distinct()
            .sorted(Comparator.comparing(TypeName::canonical))
            .limit(MAX_SIZE)
            .toArray(TypeName[]::new));
  }

  public List<TypeName> names() {
    return List.of(names);
  }

  /** The index of {@code name}, or -1 when it is not in the table. */
  Integer indexOf(TypeName name) {
    return indexes.getOrDefault(name, NOT_IN_TABLE);
  }

  TypeName get(int index) throws IOException {
    if (index >= names.length) {
      throw new IOException(
          "Type name index " + index + " beyond the job's " + names.length + " (corrupt data)");
    }
    return names[index];
  }

  private void index() {
    Map<TypeName, Integer> byName = new HashMap<>();
    for (int i = 0; i < names.length; i++) {
      byName.put(names[i], i);
    }
    indexes = Map.copyOf(byName);
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    index();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TypeNameTable && Arrays.equals(names, ((TypeNameTable) o).names);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(names);
  }

  @Override
  public String toString() {
    return Arrays.toString(names);
  }
}
