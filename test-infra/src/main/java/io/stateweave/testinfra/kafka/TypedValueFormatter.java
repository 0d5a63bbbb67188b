package io.stateweave.testinfra.kafka;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.MessageFormatter;

/**
 * Kafka's console consumer printing {@code <key><TAB><value>} lines, the value read as a StateFun
 * value of {@code value.type} (default a string): what a Stateweave Kafka egress wrote. A value
 * that is not of that type is printed as {@code <not a value.type: base64>} rather than ending the
 * consumer.
 */
public final class TypedValueFormatter implements MessageFormatter {
  private TypedLines lines;

  @Override
  public void configure(Map<String, ?> configs) {
    this.lines = TypedLines.of(configs);
  }

  @Override
  public void writeTo(ConsumerRecord<byte[], byte[]> record, PrintStream output) {
    String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
    output.println(key + lines.keySeparator + text(record.value()));
  }

  private String text(byte[] value) {
    if (value == null) {
      return "<no value>";
    }
    try {
      return String.valueOf(lines.valueType.deserialize(value));
    } catch (IllegalArgumentException e) {
      return "<not a " + lines.valueType.typeName() + ": " + Base64.getEncoder().encodeToString(value) + ">";
    }
  }
}
