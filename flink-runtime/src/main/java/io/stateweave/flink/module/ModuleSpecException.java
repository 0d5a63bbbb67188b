package io.stateweave.flink.module;

import java.util.StringJoiner;

/**
 * A {@code module.yaml} that cannot run. The message locates the mistake the way a user looks for
 * it, {@code <source>: document <n> (<kind>): field '<path>': expected <what>, got <found>},
 * leaving out the parts that do not apply; YAML syntax errors give the line and column instead.
 */
public final class ModuleSpecException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final int document;
  private final String field;

  ModuleSpecException(String source, int document, String kind, String field, String detail) {
    this(source, document, kind, field, detail, null);
  }

  ModuleSpecException(
      String source, int document, String kind, String field, String detail, Throwable cause) {
    super(message(source, document, kind, null, field, detail), cause);
    this.source = source;
    this.document = document;
    this.field = field;
  }

  private ModuleSpecException(String source, String position, String detail, Throwable cause) {
    super(message(source, 0, null, position, null, detail), cause);
    this.source = source;
    this.document = 0;
    this.field = null;
  }

  /** A YAML syntax error, located by line and column (1-based) rather than by document. */
  static ModuleSpecException syntax(
      String source, int line, int column, String problem, Throwable cause) {
    return new ModuleSpecException(
        source, "line " + line + ", column " + column, "invalid YAML: " + problem, cause);
  }

  /** The file path or {@code classpath:} location the module was read from. */
  public String source() {
    return source;
  }

  /** The 1-based number of the YAML document in file order, or 0 when the error is not in one. */
  public int document() {
    return document;
  }

  /** The path of the offending field inside the document, e.g. {@code spec.targets[1]}, or null. */
  public String field() {
    return field;
  }

  private static String message(
      String source, int document, String kind, String position, String field, String detail) {
    StringJoiner message = new StringJoiner(": ");
    message.add(source);
    if (document > 0) {
      message.add(
          kind == null ? "document " + document : "document " + document + " (" + kind + ")");
    }
    if (position != null) {
      message.add(position);
    }
    if (field != null) {
      message.add("field '" + field + "'");
    }
    return message.add(detail).toString();
  }
}
