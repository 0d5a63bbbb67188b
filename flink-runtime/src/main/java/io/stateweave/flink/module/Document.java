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

  /** How an error about {@code current} names this document: by number, and file if another. */
  String nameSeenFrom(Document current) {
    if (!source.equals(current.source)) {
      return source + " document " + number;
    }
    return number == current.number ? "this document" : "document " + number;
  }

  ModuleSpecException error(String field, String detail) {
    return new ModuleSpecException(source, number, kind, field, detail);
  }

  ModuleSpecException error(String field, String detail, Throwable cause) {
    return new ModuleSpecException(source, number, kind, field, detail, cause);
  }
}
