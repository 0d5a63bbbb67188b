package io.stateweave.sdk;

import io.stateweave.sdk.types.Type;
import io.stateweave.sdk.types.Types;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A named, typed state value of a function, scoped to the function type and the address id: {@code
 * ValueSpec.named("count").withIntType()}.
 */
public final class ValueSpec<T> {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final String name;
  private final Type<T> type;
  private final Expiration expiration;

  private ValueSpec(String name, Type<T> type, Expiration expiration) {
    this.name = name;
    this.type = type;
    this.expiration = expiration;
  }

  public static Untyped named(String name) {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "A state name must be a Java-like identifier ([A-Za-z_][A-Za-z0-9_]*), got '"
              + name
              + "'");
    }
    return new Untyped(name);
  }

  public String name() {
    return name;
  }

  public Type<T> type() {
    return type;
  }

  public Expiration expiration() {
    return expiration;
  }

  public ValueSpec<T> thatExpiresAfterWrite(Duration duration) {
    return new ValueSpec<>(name, type, Expiration.afterWrite(duration));
  }

  public ValueSpec<T> thatExpiresAfterInvoke(Duration duration) {
    return new ValueSpec<>(name, type, Expiration.afterInvoke(duration));
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ValueSpec)) {
      return false;
    }
    ValueSpec<?> other = (ValueSpec<?>) o;
    return name.equals(other.name)
        && type.typeName().equals(other.type.typeName())
        && expiration.equals(other.expiration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type.typeName(), expiration);
  }

  @Override
  public String toString() {
    return "ValueSpec{" + name + ": " + type.typeName() + ", expires " + expiration + "}";
  }

  /** A spec that still needs its type. */
  public static final class Untyped {
    private final String name;

    private Untyped(String name) {
      this.name = name;
    }

    public <T> ValueSpec<T> withType(Type<T> type) {
      return new ValueSpec<>(name, Objects.requireNonNull(type, "type"), Expiration.none());
    }

    public ValueSpec<Integer> withIntType() {
      return withType(Types.INT);
    }

    public ValueSpec<Long> withLongType() {
      return withType(Types.LONG);
    }

    public ValueSpec<String> withStringType() {
      return withType(Types.STRING);
    }

    public ValueSpec<Boolean> withBooleanType() {
      return withType(Types.BOOLEAN);
    }

    public ValueSpec<Double> withDoubleType() {
      return withType(Types.DOUBLE);
    }
  }
}
