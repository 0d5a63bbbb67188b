package io.stateweave.flink.module;

/** Where in a module file a component comes from; the prefix of every error about it. */
final class Document {
  private final String source;
  private final int number;
  private final String kind;

  Document(String source, int number, String kind) {
    this.source = source;
    this.number = number;
    this.kind = kind;
  }

  Document withKind(String kind) {
    return new Document(source, number, kind);
  }

  int number() {
    return number;
  }

  ModuleSpecException error(String field, String detail) {
    return new ModuleSpecException(source, number, kind, field, detail);
  }

  ModuleSpecException error(String field, String detail, Throwable cause) {
    return new ModuleSpecException(source, number, kind, field, detail, cause);
  }
}
