package io.stateweave.flink.module;

import io.stateweave.sdk.TypeName;
import java.util.List;

/**
 * {@code io.stateweave.ingress.v1/generator}: cycles through {@code records}, emitting {@code
 * count} of them (forever when count is absent, here {@code -1}) at {@code ratePerSecond}.
 */
public record GeneratorIngressSpec(
    TypeName id,
    List<TypeName> targets,
    TypeName valueType,
    List<Record> records,
    long count,
    double ratePerSecond)
    implements IngressSpec {

  public static final TypeName KIND = TypeName.parse("io.stateweave.ingress.v1/generator");

  public GeneratorIngressSpec {
    targets = List.copyOf(targets);
    records = List.copyOf(records);
  }

  /** One generated record: the address id and the value as written in the file. */
  public record Record(String id, String value) implements java.io.Serializable {}
}
