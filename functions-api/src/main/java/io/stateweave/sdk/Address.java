package io.stateweave.sdk;

import java.io.Serializable;
import java.util.Objects;

/** One instance of a function: its type and the id that scopes its state. */
public final class Address implements Serializable {
  private static final long serialVersionUID = 1L;

  private final TypeName type;
  private final String id;

  public Address(TypeName type, String id) {
    this.type = Objects.requireNonNull(type, "type");
    this.id = Objects.requireNonNull(id, "id");
  }

  /** {@code Address.of("example/hello", "user1")}. */
  public static Address of(String functionType, String id) {
    return new Address(TypeName.parse(functionType), id);
  }

  public TypeName type() {
    return type;
  }

  public String id() {
    return id;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Address)) {
      return false;
    }
    Address other = (Address) o;
    return type.equals(other.type) && id.equals(other.id);
  }

  @Override
  public int hashCode() {
    return 31 * type.hashCode() + id.hashCode();
  }

  @Override
  public String toString() {
    return type + "/" + id;
  }
}
