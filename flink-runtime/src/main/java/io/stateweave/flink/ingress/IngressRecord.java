package io.stateweave.flink.ingress;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import java.util.Objects;

/**
 * A record read by an ingress, before routing: the id of the addresses it goes to (for Kafka, the
 * record key; null when the source had none) and its typed value.
 */
public final class IngressRecord {
  private final TypeName ingress;
  private final String id;
  private final TypedValue value;

  public IngressRecord(TypeName ingress, String id, TypedValue value) {
    this.ingress = Objects.requireNonNull(ingress, "ingress");
    this.id = id;
    this.value = Objects.requireNonNull(value, "value");
  }

  public TypeName ingress() {
    return ingress;
  }

  public String id() {
    return id;
  }

  public TypedValue value() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof IngressRecord)) {
      return false;
    }
    IngressRecord other = (IngressRecord) o;
    return ingress.equals(other.ingress)
        && Objects.equals(id, other.id)
        && value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(ingress, id, value);
  }

  @Override
  public String toString() {
    return "IngressRecord{" + ingress + ", id " + id + ", " + value.typeName() + "}";
  }
}
