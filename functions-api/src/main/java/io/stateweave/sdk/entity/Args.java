package io.stateweave.sdk.entity;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** The positional arguments of a call, with typed accessors that name what is wrong. */
public final class Args {
  private final List<Object> values;

  private Args(List<Object> values) {
    this.values = values;
  }

  /** Checks each value with {@link Values#check}. */
  public static Args of(Object... values) {
    for (Object value : values) {
      Values.check(value);
    }
    return new Args(Collections.unmodifiableList(Arrays.asList(values.clone())));
  }

  public static Args of(List<Object> values) {
    return of(values.toArray());
  }

  public int size() {
    return values.size();
  }

  public Object get(int index) {
    if (index < 0 || index >= values.size()) {
      throw new IllegalArgumentException(
          "argument " + index + " was not given (" + values.size() + " arguments)");
    }
    return values.get(index);
  }

  public long getLong(int index) {
    return asLong(get(index), "argument " + index);
  }

  public String getString(int index) {
    Object value = get(index);
    if (!(value instanceof String)) {
      throw new IllegalArgumentException(
          "argument " + index + " must be a string, got " + describe(value));
    }
    return (String) value;
  }

  public List<Object> asList() {
    return values;
  }

  static long asLong(Object value, String what) {
    if (value instanceof Long || value instanceof Integer) {
      return ((Number) value).longValue();
    }
    throw new IllegalArgumentException(what + " must be a long, got " + describe(value));
  }

  private static String describe(Object value) {
    return value == null ? "null" : value.getClass().getSimpleName() + " " + value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Args && Values.deepEquals(values, ((Args) o).values);
  }

  @Override
  public int hashCode() {
    return values.size();
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
