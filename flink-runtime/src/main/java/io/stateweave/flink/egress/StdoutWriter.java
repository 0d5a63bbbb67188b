package io.stateweave.flink.egress;

import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.types.Type;
import io.stateweave.sdk.types.Types;
import java.io.PrintStream;
import java.util.Base64;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.SinkWriter;

/**
 * Prints records as text: primitives of the StateFun SDKs as their value (a string as the plain
 * text), anything else as its type name and its bytes in base64.
 */
final class StdoutWriter implements SinkWriter<TypedValue> {
  private final PrintStream out;

  StdoutWriter(PrintStream out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  @Override
  public void write(TypedValue record, Context context) {
    out.println(line(record));
  }

  @Override
  public void flush(boolean endOfInput) {
    out.flush();
  }

  @Override
  public void close() {
    // System.out belongs to the process: flushed, never closed
    out.flush();
  }

  /** The line printed for a record. */
  static String line(TypedValue record) {
    Type<?> primitive = Types.primitive(record.typeName());
    if (primitive != null) {
      try {
        return String.valueOf(primitive.deserialize(record.bytes()));
      } catch (IllegalArgumentException e) {
        // bytes that do not decode are still shown, raw, rather than failing the job over a print
      }
    }
    return record.typeName().canonical() + " " + Base64.getEncoder().encodeToString(record.bytes());
  }
}
