package io.stateweave.sdk;

import io.stateweave.sdk.types.Type;
import io.stateweave.sdk.types.Types;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A named, typed state value of a function, scoped to the function type and the address id: {@code
 * ValueSpec.named("count").withIntType()}.
 *
 * <p>Within a function type a state name stands for one state, with one type and one expiration:
 * two specs of one name are the same state only when they are equal, and a second spec of the name
 * with another type is an error ({@link #requireSameState}). It is raised at the earliest point
 * that sees both: when the function is bound, for specs declared there; else at the first
 * invocation that uses the second one (the state of an undeclared spec, or one a remote function
 * reports, is bound on first use).
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

  /**
   * Throws {@link IllegalArgumentException} unless {@code other}, a spec of the same name declared
   * or used by {@code functionType}, is this spec; the message names the function type, the state
   * and both types, or both expirations when only they differ.
   */
  public void requireSameState(TypeName functionType, ValueSpec<?> other) {
    Objects.requireNonNull(functionType, "functionType");
    Objects.requireNonNull(other, "other");
    if (!other.name.equals(name)) {
      throw new IllegalArgumentException(
          "State '" + name + "' and state '" + other.name + "' are not one state");
    }
    if (!other.type.typeName().equals(type.typeName())) {
      throw new IllegalArgumentException(
          "Function type "
              + functionType
              + " declares state '"
              + name
              + "' as "
              + type.typeName()
              + " and as "
              + other.type.typeName()
              + ": a state name has one type within its function type");
    }
    if (!other.expiration.equals(expiration)) {
      throw new IllegalArgumentException(
          "Function type "
              + functionType
              + " declares state '"
              + name
              + "' of "
              + type.typeName()
              + " expiring "
              + expiration
              + " and expiring "
              + other.expiration
              + ": a state has one expiration");
    }
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
