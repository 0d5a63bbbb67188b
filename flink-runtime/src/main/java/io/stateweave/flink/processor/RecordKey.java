package io.stateweave.flink.processor;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * A record's Kafka key as the processor operator's Flink key: the record's own bytes, made once on
 * each side of the keyBy without decoding them. It hashes as the ISO-8859-1 text of its bytes
 * hashes, and {@link RecordKeySerializer} writes that text's format: key groups and stored keys
 * are those of a {@code String} key of that text, and state saved under such a key restores as is.
 */
final class RecordKey {
  private final byte[] bytes;
  private final int hash;

  /** Over {@code bytes} without a copy: a record's arrays are immutable by contract. */
  RecordKey(byte[] bytes) {
    this.bytes = Objects.requireNonNull(bytes, "bytes");
    this.hash = latin1Hash(bytes);
  }

  /** {@link String#hashCode()} of the bytes' ISO-8859-1 text, without making the text. */
  private static int latin1Hash(byte[] bytes) {
    int h = 0;
    for (byte b : bytes) {
      h = 31 * h + (b & 0xFF);
    }
    return h;
  }

  /** The key's bytes themselves; callers must not change them. */
  byte[] bytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecordKey other && hash == other.hash && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /** Keys a processor's records by their Kafka key. */
  static final class Selector implements KeySelector<ProcessorRecord, RecordKey> {
    private static final long serialVersionUID = 1L;

    @Override
    public RecordKey getKey(ProcessorRecord record) {
      return new RecordKey(record.key());
    }
  }
}
