package io.stateweave.flink.ingress;

import io.stateweave.flink.module.FileIngressSpec;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.types.PrimitiveType;
import io.stateweave.sdk.types.Types;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Turns the lines of a file ingress into records. A line that does not fit fails the job: the file
 * is the user's input, and skipping a line would lose data silently.
 */
final class FileLines extends RichFlatMapFunction<String, IngressRecord> {
  private static final long serialVersionUID = 1L;

  // Type names are not serializable: the function travels with the job graph as plain strings.
  private final String ingress;
  private final String path;
  private final String keyDelimiter;
  private final String valueType;

  private transient TypeName ingressId;
  private transient PrimitiveType<?> type;

  FileLines(FileIngressSpec spec) {
    if (spec.keyDelimiter() != null && spec.keyDelimiter().isEmpty()) {
      throw new IllegalArgumentException(
          "file ingress " + spec.id() + " has an empty keyDelimiter");
    }
    if (Types.primitive(spec.valueType()) == null) {
      throw new IllegalArgumentException(
          "file ingress "
              + spec.id()
              + ": value type "
              + spec.valueType()
              + " cannot be read from text; supported: "
              + Types.primitives());
    }
    this.ingress = spec.id().canonical();
    this.path = spec.path();
    this.keyDelimiter = spec.keyDelimiter();
    this.valueType = spec.valueType().canonical();
  }

  @Override
  public void open(OpenContext openContext) {
    ingressId = TypeName.parse(ingress);
    type = Types.primitive(TypeName.parse(valueType));
  }

  @Override
  public void flatMap(String line, Collector<IngressRecord> out) {
    if (line.isEmpty()) {
      return;
    }
    String id = line;
    String value = line;
    if (keyDelimiter != null) {
      int at = line.indexOf(keyDelimiter);
      if (at < 0) {
        throw badLine(line, "it has no key delimiter '" + keyDelimiter + "'", null);
      }
      id = line.substring(0, at);
      value = line.substring(at + keyDelimiter.length());
    }
    try {
      out.collect(new IngressRecord(ingressId, id, type.fromText(value)));
    } catch (IllegalArgumentException e) {
      throw badLine(line, e.getMessage(), e);
    }
  }

  private IllegalArgumentException badLine(String line, String why, Throwable cause) {
    return new IllegalArgumentException(
        "file ingress " + ingress + ", file " + path + ": cannot read line '" + line + "': " + why,
        cause);
  }
}
