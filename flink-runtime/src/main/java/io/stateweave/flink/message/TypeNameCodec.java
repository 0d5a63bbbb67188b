package io.stateweave.flink.message;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.types.Type;
import io.stateweave.sdk.types.Types;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Type names on the wire, in {@code writeUTF}'s form (two bytes of length, modified UTF-8), with
 * the names seen before cached both ways: a job has few distinct names, and every record carries
 * two or three. Writing a known name copies its bytes; reading one matches its bytes against the
 * names read before, eight at a time, and returns the same {@link TypeName} instance each time,
 * whose hash is then already computed for the look-ups downstream (docs/benchmarks.md, items 4
 * and 15).
 *
 * <p>StateFun's primitive types are written as a two-byte code in place of their name: a length of
 * {@value #FIRST_CODE} plus the type's position in {@link Types#primitives()}, a length no name may
 * have. Names spelled out, as data written before the codes has them, read the same.
 *
 * <p>Not thread-safe, and needs no locks: each serializer instance owns one, and Flink gives each
 * thread its own serializer ({@code TypeSerializer#duplicate}). The caches are bounded, so that a
 * stream of distinct names cannot grow them without end; beyond the bound names are encoded and
 * parsed per record.
 */
final class TypeNameCodec {
  static final int FIRST_CODE = 0xFF00;

  private static final List<TypeName> CODED =
      Types.primitives().stream().map(Type::typeName).collect(Collectors.toUnmodifiableList());

  private static final int MAX_CACHED = 4_096;
  private static final int RECENT_SLOTS = 32;
  private static final int KNOWN_SLOTS = 256;
  private static final int MAX_KNOWN_PER_SLOT = 16;

  private final Map<TypeName, byte[]> encoded = new HashMap<>();
  private final Map<String, TypeName> parsed = new HashMap<>();

  /** In front of {@link #encoded}: a thread's records carry the same few instances. */
  private final TypeNameMemo<byte[]> recentlyEncoded =
      new TypeNameMemo<>(RECENT_SLOTS, this::lookUpEncoded);

  /** The names read so far, by length modulo the slots, matched while they are read. */
  private final KnownNames[] known = new KnownNames[KNOWN_SLOTS];

  private long slowReads;

  TypeNameCodec() {
    for (int code = 0; code < CODED.size(); code++) {
      int prefix = FIRST_CODE + code;
      encoded.put(CODED.get(code), new byte[] {(byte) (prefix >>> 8), (byte) prefix});
    }
  }

  void write(TypeName typeName, DataOutputView out) throws IOException {
    out.write(recentlyEncoded.get(typeName));
  }

  private byte[] lookUpEncoded(TypeName typeName) {
    byte[] bytes = encoded.get(typeName);
    if (bytes == null) {
      bytes = encode(typeName.canonical());
      if (encoded.size() < MAX_CACHED) {
        encoded.put(typeName, bytes);
      }
    }
    return bytes;
  }

  /** Reads a name written by {@link #write} (or by {@code writeUTF}: the same bytes). */
  TypeName read(DataInputView in) throws IOException {
    int length = in.readUnsignedShort();
    if (length >= FIRST_CODE) {
      int code = length - FIRST_CODE;
      if (code >= CODED.size()) {
        throw new IOException("Unknown type name code " + code + " (corrupt or newer data)");
      }
      return CODED.get(code);
    }
    KnownNames names = known[length & (KNOWN_SLOTS - 1)];
    if (names == null) {
      return readUnknown(in, length, null, 0, 0, 0);
    }
    int words = length >>> 3;
    int tailBytes = length & 7;
    long first = words > 0 ? in.readLong() : readTail(in, tailBytes);
    Known candidate = names.withFirst(length, first);
    if (candidate == null) {
      return readUnknown(in, length, null, 0, first, words > 0 ? 8 : tailBytes);
    }
    for (int i = 1; i < words; i++) {
      long word = in.readLong();
      if (word != candidate.words[i]) {
        Known other = names.sharingPrefix(candidate, i, word);
        if (other == null) {
          return readUnknown(in, length, candidate.bytes, 8 * i, word, 8);
        }
        candidate = other;
      }
    }
    if (words > 0 && tailBytes > 0) {
      long tail = readTail(in, tailBytes);
      if (tail != candidate.tail) {
        Known other = names.sharingPrefix(candidate, words, tail);
        if (other == null) {
          return readUnknown(in, length, candidate.bytes, 8 * words, tail, tailBytes);
        }
        candidate = other;
      }
    }
    return candidate.typeName;
  }

  /** How many names this codec read the slow way, not matched against the names it knew. */
  long slowReads() {
    return slowReads;
  }

  private static long readTail(DataInputView in, int bytes) throws IOException {
    long tail = 0;
    for (int i = 0; i < bytes; i++) {
      tail = tail << 8 | in.readUnsignedByte();
    }
    return tail;
  }

  /**
   * Reads the rest of a name that is not known (yet), after {@code prefixLength} bytes that matched
   * {@code prefix} and then {@code unitBytes} bytes that did not (held in {@code unit}).
   */
  private TypeName readUnknown(
      DataInputView in, int length, byte[] prefix, int prefixLength, long unit, int unitBytes)
      throws IOException {
    byte[] utf = new byte[length + 2];
    utf[0] = (byte) (length >>> 8);
    utf[1] = (byte) length;
    if (prefixLength > 0) {
      System.arraycopy(prefix, 0, utf, 2, prefixLength);
    }
    for (int b = 0; b < unitBytes; b++) {
      utf[2 + prefixLength + b] = (byte) (unit >>> 8 * (unitBytes - 1 - b));
    }
    int done = prefixLength + unitBytes;
    in.readFully(utf, 2 + done, length - done);
    slowReads++;
    TypeName typeName = parse(new DataInputDeserializer(utf).readUTF());
    remember(typeName, Arrays.copyOfRange(utf, 2, utf.length));
    return typeName;
  }

  private void remember(TypeName typeName, byte[] bytes) {
    int slot = bytes.length & (KNOWN_SLOTS - 1);
    Known[] names = known[slot] == null ? new Known[0] : known[slot].names;
    if (names.length >= MAX_KNOWN_PER_SLOT) {
      return;
    }
    Known[] more = Arrays.copyOf(names, names.length + 1);
    more[names.length] = new Known(typeName, bytes);
    known[slot] = new KnownNames(more);
  }

  private TypeName parse(String canonical) {
    TypeName typeName = parsed.get(canonical);
    if (typeName == null) {
      typeName = TypeName.parse(canonical);
      if (parsed.size() < MAX_CACHED) {
        parsed.put(canonical, typeName);
      }
    }
    return typeName;
  }

  private static byte[] encode(String canonical) {
    DataOutputSerializer out = new DataOutputSerializer(canonical.length() + 2);
    try {
      out.writeUTF(canonical);
    } catch (IOException e) {
      throw new IllegalArgumentException("Type name too long for the wire: " + canonical, e);
    }
    if (out.length() - 2 >= FIRST_CODE) {
      throw new IllegalArgumentException(
          "Type name of "
              + (out.length() - 2)
              + " bytes, more than the "
              + (FIRST_CODE - 1)
              + " a type name may have: "
              + canonical.substring(0, 100)
              + "...");
    }
    return out.getCopyOfBuffer();
  }

  /** The names read so far of one slot. */
  private static final class KnownNames {
    final Known[] names;

    KnownNames(Known[] names) {
      this.names = names;
    }

    Known withFirst(int length, long first) {
      for (Known name : names) {
        if (name.first == first && name.bytes.length == length) {
          return name;
        }
      }
      return null;
    }

    /**
     * Another name as long as {@code matched}, with the same words before word {@code index} (the
     * tail, when {@code index} is the number of words) and {@code unit} there; null if none.
     */
    Known sharingPrefix(Known matched, int index, long unit) {
      for (Known name : names) {
        if (name != matched
            && name.bytes.length == matched.bytes.length
            && name.unit(index) == unit
            && Arrays.equals(name.words, 0, index, matched.words, 0, index)) {
          return name;
        }
      }
      return null;
    }
  }

  /** A name read before: its bytes as big-endian words of eight and a tail of fewer. */
  private static final class Known {
    final TypeName typeName;
    final byte[] bytes;
    final long[] words;
    final long tail;
    final long first;

    Known(TypeName typeName, byte[] bytes) {
      this.typeName = typeName;
      this.bytes = bytes;
      this.words = new long[bytes.length >>> 3];
      for (int i = 0; i < words.length; i++) {
        long word = 0;
        for (int b = 0; b < 8; b++) {
          word = word << 8 | (bytes[8 * i + b] & 0xFF);
        }
        words[i] = word;
      }
      long tailBits = 0;
      for (int b = 8 * words.length; b < bytes.length; b++) {
        tailBits = tailBits << 8 | (bytes[b] & 0xFF);
      }
      this.tail = tailBits;
      this.first = words.length > 0 ? words[0] : tailBits;
    }

    /** Word {@code index}, or the tail when {@code index} is the number of words. */
    long unit(int index) {
      return index < words.length ? words[index] : tail;
    }
  }
}
