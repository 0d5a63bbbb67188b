package io.stateweave.testinfra.kafka;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.tools.api.RecordReader;

/**
 * Kafka's console producer reading {@code <key><TAB><value>} lines, the value written as a
 * StateFun value of {@code value.type} (default a string), the key as UTF-8: what a Stateweave
 * Kafka ingress reads (the key is the target address's id). A line that does not fit stops the
 * producer naming its number and why.
 */
public final class TypedValueReader implements RecordReader {
  private String topic;
  private TypedLines lines;

  @Override
  public void configure(Map<String, ?> configs) {
    Object topicSetting = configs.get("topic");
    if (topicSetting == null) {
      throw new IllegalArgumentException("the console producer gives no topic");
    }
    this.topic = topicSetting.toString();
    this.lines = TypedLines.of(configs);
  }

  @Override
  public Iterator<ProducerRecord<byte[], byte[]>> readRecords(InputStream input) {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
    return new Iterator<>() {
      private ProducerRecord<byte[], byte[]> next;
      private int lineNumber;

      @Override
      public boolean hasNext() {
        if (next != null) {
          return true;
        }
        String line;
        try {
          do {
            line = reader.readLine();
            lineNumber++;
          } while (line != null && line.isEmpty());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        if (line == null) {
          return false;
        }
        next = record(line, lineNumber);
        return true;
      }

      @Override
      public ProducerRecord<byte[], byte[]> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        ProducerRecord<byte[], byte[]> record = next;
        next = null;
        return record;
      }
    };
  }

  private ProducerRecord<byte[], byte[]> record(String line, int lineNumber) {
    int separator = line.indexOf(lines.keySeparator);
    if (separator < 0) {
      throw new IllegalArgumentException(
          "line "
              + lineNumber
              + " has no key: expected <key>"
              + (lines.keySeparator.equals("\t") ? "<TAB>" : lines.keySeparator)
              + "<value>, got '"
              + line
              + "'");
    }
    String key = line.substring(0, separator);
    String text = line.substring(separator + lines.keySeparator.length());
    byte[] value;
    try {
      value = lines.valueType.fromText(text).bytes();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("line " + lineNumber + ": " + e.getMessage(), e);
    }
    return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
  }
}
