package io.stateweave.flink.module;

import io.stateweave.sdk.TypeName;
import java.util.List;

/**
 * {@code io.stateweave.ingress.v1/file}: one record per line of a text file. With a {@code
 * keyDelimiter} a line is {@code <id><delimiter><value>}; without, the whole line is both.
 */
public record FileIngressSpec(
    TypeName id, List<TypeName> targets, String path, String keyDelimiter, TypeName valueType)
    implements IngressSpec {

  public static final TypeName KIND = TypeName.parse("io.stateweave.ingress.v1/file");

  public FileIngressSpec {
    targets = List.copyOf(targets);
  }
}
