package io.stateweave.flink.module;

import io.stateweave.sdk.TypeName;
import java.util.List;
import java.util.Objects;

/**
 * {@code io.stateweave.ingress.v1/generator}: cycles through {@code records}, emitting {@code
 * count} of them (forever when count is absent, here {@code -1}) at {@code ratePerSecond} in total
 * ({@link #UNLIMITED_RATE}: as fast as the job takes them), from {@code parallelism} source
 * subtasks.
 */
public record GeneratorIngressSpec(
    TypeName id,
    List<TypeName> targets,
    TypeName valueType,
    List<Record> records,
    long count,
    double ratePerSecond,
    int parallelism)
    implements IngressSpec {

  public static final TypeName KIND = TypeName.parse("io.stateweave.ingress.v1/generator");

  /** {@code ratePerSecond: unlimited}: no rate limiter at all. */
  public static final double UNLIMITED_RATE = Double.POSITIVE_INFINITY;

  public GeneratorIngressSpec {
    Objects.requireNonNull(id, "id");
    targets = List.copyOf(targets);
    Objects.requireNonNull(valueType, "valueType");
    records = List.copyOf(records);
    if (!(ratePerSecond > 0)) {
      throw new IllegalArgumentException(
          "generator ingress " + id + " needs a positive ratePerSecond, got " + ratePerSecond);
    }
    if (count < -1) {
      throw new IllegalArgumentException(
          "generator ingress " + id + " needs a count >= 0 (or -1 for no end), got " + count);
    }
    if (parallelism < 1) {
      throw new IllegalArgumentException(
          "generator ingress " + id + " needs a parallelism >= 1, got " + parallelism);
    }
  }

  /** One source subtask, which emits the records strictly in turn. */
  public GeneratorIngressSpec(
      TypeName id,
      List<TypeName> targets,
      TypeName valueType,
      List<Record> records,
      long count,
      double ratePerSecond) {
    this(id, targets, valueType, records, count, ratePerSecond, 1);
  }

  public boolean unlimitedRate() {
    return ratePerSecond == UNLIMITED_RATE;
  }

  /** One generated record: the address id and the value as written in the file. */
  public record Record(String id, String value) implements java.io.Serializable {}
}
