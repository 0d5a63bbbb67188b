package io.stateweave.sdk.processor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * For runtimes, not processors: the one implementation of {@link KVStore}, over a runtime's
 * unordered map of one partition, so that the test harness and Flink order, encode and scan alike.
 *
 * <p>Stored keys are text whose chars are the encoded key's bytes (ISO-8859-1): text has the value
 * equality and hashing that map keys need (arrays do not), and its natural order is the bytes'
 * unsigned order. A plain key is {@code 0x00} and its bytes; a complex key is {@code 0x01}, its
 * key group, key and namespace each with {@code 0x00} escaped as {@code 0x00 0xFF} and ended by
 * {@code 0x00 0x01}, then the user key as it is. That keeps the order of the parts (a part that is
 * a prefix of another sorts first) and makes a user key prefix a prefix of the encoding.
 */
public final class KVStores {
  private KVStores() {}

  /** One partition of one store, as the runtime keeps it; any iteration order. */
  public interface RawStore {
    byte[] get(String key);

    void put(String key, byte[] value);

    void remove(String key);

    Iterable<Map.Entry<String, byte[]>> entries();
  }

  /**
   * The store {@code name} over {@code raw}, whose methods check {@code available} first: outside
   * {@code process} there is no record, so no partition to act on.
   */
  public static KVStore over(String name, BooleanSupplier available, RawStore raw) {
    return new Store(
        Objects.requireNonNull(name, "name"),
        Objects.requireNonNull(available, "available"),
        Objects.requireNonNull(raw, "raw"));
  }

  private static final byte PLAIN = 0x00;
  private static final char COMPLEX = 0x01;

  static String plain(byte[] key) {
    Objects.requireNonNull(key, "key");
    byte[] encoded = new byte[key.length + 1];
    encoded[0] = PLAIN;
    System.arraycopy(key, 0, encoded, 1, key.length);
    return new String(encoded, StandardCharsets.ISO_8859_1);
  }

  static String complex(ComplexKey key) {
    Objects.requireNonNull(key, "key");
    StringBuilder text = new StringBuilder(16 + key.userKeyBytes().length);
    text.append(COMPLEX);
    part(key.keyGroupBytes(), text);
    part(key.keyBytes(), text);
    part(key.namespaceBytes(), text);
    text.append(new String(key.userKeyBytes(), StandardCharsets.ISO_8859_1));
    return text.toString();
  }

  private static void part(byte[] bytes, StringBuilder text) {
    for (byte b : bytes) {
      text.append((char) (b & 0xFF));
      if (b == 0) {
        text.append((char) 0xFF);
      }
    }
    text.append((char) 0x00).append((char) 0x01);
  }

  static ComplexKey decodeComplex(String text) {
    int[] at = {1};
    byte[] keyGroup = readPart(text, at);
    byte[] key = readPart(text, at);
    byte[] namespace = readPart(text, at);
    byte[] userKey = text.substring(at[0]).getBytes(StandardCharsets.ISO_8859_1);
    return ComplexKey.of(keyGroup, key, namespace, userKey);
  }

  private static byte[] readPart(String text, int[] at) {
    StringBuilder part = new StringBuilder();
    int i = at[0];
    while (true) {
      char c = text.charAt(i);
      if (c == 0) {
        char next = text.charAt(i + 1);
        i += 2;
        if (next == 0x01) {
          break;
        }
        part.append((char) 0);
      } else {
        part.append(c);
        i++;
      }
    }
    at[0] = i;
    return part.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The complex prefix: its three fixed parts and the user key prefix. */
  static String complexPrefix(ComplexKey prefix) {
    return complex(prefix);
  }

  private static final class Store implements KVStore {
    private final String name;
    private final BooleanSupplier available;
    private final RawStore raw;
    // The last plain key and its encoding: a processor mostly reads and then writes the same key,
    // and its encoding, once made, hashes without a second pass over the chars.
    private byte[] lastPlainKey;
    private String lastPlainEncoding;

    Store(String name, BooleanSupplier available, RawStore raw) {
      this.name = name;
      this.available = available;
      this.raw = raw;
    }

    /** {@code raw}, when there is a record whose partition it is. */
    private RawStore raw() {
      if (!available.getAsBoolean()) {
        throw new IllegalStateException(
            "KV store '"
                + name
                + "' is available in process() only: stores are partitioned by record key");
      }
      return raw;
    }

    /** {@link #plain}, reusing the last encoding when the key's bytes are the same again. */
    private String encodePlain(byte[] key) {
      Objects.requireNonNull(key, "key");
      if (!Arrays.equals(key, lastPlainKey)) {
        // a copy: the caller may change its array before the next call
        lastPlainKey = key.clone();
        lastPlainEncoding = plain(key);
      }
      return lastPlainEncoding;
    }

    @Override
    public Optional<byte[]> get(byte[] key) {
      return Optional.ofNullable(raw().get(encodePlain(key)));
    }

    @Override
    public void put(byte[] key, byte[] value) {
      raw().put(encodePlain(key), Objects.requireNonNull(value, "value"));
    }

    @Override
    public void delete(byte[] key) {
      raw().remove(encodePlain(key));
    }

    @Override
    public List<Entry<byte[]>> scan(byte[] prefix) {
      List<Entry<byte[]>> result = new ArrayList<>();
      for (Map.Entry<String, byte[]> entry : matching(plain(prefix))) {
        result.add(
            new Entry<>(
                entry.getKey().substring(1).getBytes(StandardCharsets.ISO_8859_1),
                entry.getValue()));
      }
      return result;
    }

    @Override
    public int deletePrefix(byte[] prefix) {
      return deleteAll(matching(plain(prefix)));
    }

    @Override
    public Optional<byte[]> get(ComplexKey key) {
      return Optional.ofNullable(raw().get(complex(key)));
    }

    @Override
    public void put(ComplexKey key, byte[] value) {
      raw().put(complex(key), Objects.requireNonNull(value, "value"));
    }

    @Override
    public void delete(ComplexKey key) {
      raw().remove(complex(key));
    }

    @Override
    public List<Entry<ComplexKey>> scan(ComplexKey prefix) {
      List<Entry<ComplexKey>> result = new ArrayList<>();
      for (Map.Entry<String, byte[]> entry : matching(complexPrefix(prefix))) {
        result.add(new Entry<>(decodeComplex(entry.getKey()), entry.getValue()));
      }
      return result;
    }

    @Override
    public int deletePrefix(ComplexKey prefix) {
      return deleteAll(matching(complexPrefix(prefix)));
    }

    /**
     * Every entry of the partition is read: neither Flink backend seeks within a map state, and
     * the heap backend's maps are not ordered, so the matches are sorted here.
     */
    private List<Map.Entry<String, byte[]>> matching(String prefix) {
      List<Map.Entry<String, byte[]>> result = new ArrayList<>();
      for (Map.Entry<String, byte[]> entry : raw().entries()) {
        if (entry.getKey().startsWith(prefix)) {
          result.add(Map.entry(entry.getKey(), entry.getValue()));
        }
      }
      result.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
      return result;
    }

    private int deleteAll(List<Map.Entry<String, byte[]>> entries) {
      for (Map.Entry<String, byte[]> entry : entries) {
        raw().remove(entry.getKey());
      }
      return entries.size();
    }
  }
}
