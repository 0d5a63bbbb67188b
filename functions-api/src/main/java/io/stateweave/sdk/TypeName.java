package io.stateweave.sdk;

import java.io.Serializable;
import java.util.Objects;

/**
 * A name of the form {@code <namespace>/<name>}, used for function types, egress ids and value
 * types ({@code io.statefun.types/int}, {@code type.googleapis.com/my.pkg.User}). The split is at
 * the last slash, as in the StateFun SDKs.
 */
public final class TypeName implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String namespace;
  private final String name;
  private final String canonical;

  private TypeName(String namespace, String name) {
    this.namespace = namespace;
    this.name = name;
    this.canonical = namespace + "/" + name;
  }

  /** Parses {@code namespace/name}; rejects anything else with a message naming the input. */
  public static TypeName parse(String typeName) {
    if (typeName == null) {
      throw new IllegalArgumentException(
          "A type name must be given as <namespace>/<name>, got null");
    }
    int slash = typeName.lastIndexOf('/');
    if (slash <= 0 || slash == typeName.length() - 1) {
      throw new IllegalArgumentException(
          "A type name must have the form <namespace>/<name>, got '" + typeName + "'");
    }
    for (int i = 0; i < typeName.length(); i++) {
      if (Character.isWhitespace(typeName.charAt(i))) {
        throw new IllegalArgumentException(
            "A type name must not contain whitespace, got '" + typeName + "'");
      }
    }
    return new TypeName(typeName.substring(0, slash), typeName.substring(slash + 1));
  }

  public static TypeName of(String namespace, String name) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    return parse(namespace + "/" + name);
  }

  public String namespace() {
    return namespace;
  }

  public String name() {
    return name;
  }

  /** The {@code namespace/name} form. */
  public String canonical() {
    return canonical;
  }

  @Override
  public boolean equals(Object o) {
    return this == o || (o instanceof TypeName && canonical.equals(((TypeName) o).canonical));
  }

  @Override
  public int hashCode() {
    return canonical.hashCode();
  }

  @Override
  public String toString() {
    return canonical;
  }
}
