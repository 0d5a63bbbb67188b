package io.stateweave.flink.message;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.types.Type;
import io.stateweave.sdk.types.Types;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Type names on the wire, in {@code writeUTF}'s form (two bytes of length, modified UTF-8), with
 * both directions cached: a job has few distinct names (its function types, value types and
 * ingresses), and every record carries two or three of them. Writing one is a copy of its cached
 * bytes; reading one matches the bytes against the names seen before, without decoding characters,
 * building a string or hashing it, and returns the shared {@link TypeName}, whose canonical string
 * has its hash computed already for the map lookups on the hot path (functions, states). Profiled
 * on the count benchmark, {@code writeUTF} and {@code readUTF} plus hashing were about a quarter of
 * the router's and the dispatcher's time.
 *
 * <p>StateFun's primitive types, the payload of most messages and state, are written as a code of
 * two bytes in place of their name (23 bytes or more): a length prefix of {@value #FIRST_CODE} or
 * more, which no name can have (longer names are rejected). Data written before this (every name
 * spelled out) reads the same.
 *
 * <p>Each direction has a small table of the names seen, over a map of all names seen. The tables
 * and maps are bounded, so that a stream of distinct names cannot grow them without end; beyond the
 * bound names are encoded and parsed per record.
 */
final class TypeNameCodec {
  private static final int MAX_CACHED = 4_096;

  /** Slots of {@link #RECENT_ENCODED}. */
  private static final int SLOTS = 256;

  private static final int KNOWN_SLOTS = 256;
  private static final int MAX_KNOWN_PER_SLOT = 16;

  static final int FIRST_CODE = 0xFF00;

  /** A primitive's code is its position in {@link Types#primitives()}, which is append only. */
  private static final List<TypeName> CODED =
      Types.primitives().stream().map(Type::typeName).collect(Collectors.toUnmodifiableList());

  private static final ConcurrentHashMap<TypeName, byte[]> ENCODED = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<String, TypeName> PARSED = new ConcurrentHashMap<>();

  /**
   * The names read so far, by length (modulo the slots): a few per slot, matched eight bytes at a
   * time while they are read, so that reading a known name needs neither an array nor a copy (an
   * array, a copy and a table lookup per name were half of an envelope's deserialization). Racy on
   * purpose: a slot's names are an immutable array behind a final field, replaced whole when a name
   * is added; a reader sees the old or the new array, and a name added twice at once is added again
   * on its next read.
   */
  private static final KnownNames[] KNOWN = new KnownNames[KNOWN_SLOTS];

  /** Names read the slow way, not matched as they were read: for tests. */
  private static final LongAdder UNKNOWN_READS = new LongAdder();

  /**
   * The names last encoded: the map's look-up had been a quarter of the router's samples in the
   * count benchmark.
   */
  private static final TypeNameMemo<byte[]> RECENT_ENCODED =
      new TypeNameMemo<>(SLOTS, TypeNameCodec::lookUpEncoded);

  static {
    for (int code = 0; code < CODED.size(); code++) {
      int prefix = FIRST_CODE + code;
      ENCODED.put(CODED.get(code), new byte[] {(byte) (prefix >>> 8), (byte) prefix});
    }
  }

  private TypeNameCodec() {}

  /** The name in {@code writeUTF}'s form. */
  static byte[] encoded(TypeName typeName) {
    return RECENT_ENCODED.get(typeName);
  }

  private static byte[] lookUpEncoded(TypeName typeName) {
    byte[] encoded = ENCODED.get(typeName);
    if (encoded == null) {
      encoded = encode(typeName.canonical());
      if (ENCODED.size() < MAX_CACHED) {
        ENCODED.putIfAbsent(typeName, encoded);
      }
    }
    return encoded;
  }

  /** Reads a name written by {@link #encoded} (or by {@code writeUTF}: the same bytes). */
  static TypeName read(DataInputView in) throws IOException {
    int length = in.readUnsignedShort();
    if (length >= FIRST_CODE) {
      int code = length - FIRST_CODE;
      if (code >= CODED.size()) {
        throw new IOException("Unknown type name code " + code + " (corrupt or newer data)");
      }
      return CODED.get(code);
    }
    KnownNames known = KNOWN[length & (KNOWN_SLOTS - 1)];
    if (known == null) {
      return readUnknown(in, length, null, 0, 0, 0);
    }
    int words = length >>> 3;
    int tailBytes = length & 7;
    long first = words > 0 ? in.readLong() : readTail(in, tailBytes);
    Known candidate = known.withFirst(length, first);
    if (candidate == null) {
      return readUnknown(in, length, null, 0, first, words > 0 ? 8 : tailBytes);
    }
    for (int i = 1; i < words; i++) {
      long word = in.readLong();
      if (word != candidate.words[i]) {
        Known other = known.sharingPrefix(candidate, i, word);
        if (other == null) {
          return readUnknown(in, length, candidate.bytes, 8 * i, word, 8);
        }
        candidate = other;
      }
    }
    if (words > 0 && tailBytes > 0) {
      long tail = readTail(in, tailBytes);
      if (tail != candidate.tail) {
        Known other = known.sharingPrefix(candidate, words, tail);
        if (other == null) {
          return readUnknown(in, length, candidate.bytes, 8 * words, tail, tailBytes);
        }
        candidate = other;
      }
    }
    return candidate.typeName;
  }

  /** How many names were read the slow way so far. */
  static long unknownReads() {
    return UNKNOWN_READS.sum();
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
  private static TypeName readUnknown(
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
    UNKNOWN_READS.increment();
    TypeName typeName = parse(new DataInputDeserializer(utf).readUTF());
    remember(typeName, Arrays.copyOfRange(utf, 2, utf.length));
    return typeName;
  }

  private static void remember(TypeName typeName, byte[] bytes) {
    int slot = bytes.length & (KNOWN_SLOTS - 1);
    KnownNames known = KNOWN[slot];
    Known[] names = known == null ? new Known[0] : known.names;
    if (names.length >= MAX_KNOWN_PER_SLOT) {
      return;
    }
    for (Known name : names) {
      if (Arrays.equals(name.bytes, bytes)) {
        return;
      }
    }
    Known[] more = Arrays.copyOf(names, names.length + 1);
    more[names.length] = new Known(typeName, bytes);
    KNOWN[slot] = new KnownNames(more);
  }

  private static TypeName parse(String canonical) {
    TypeName typeName = PARSED.get(canonical);
    if (typeName == null) {
      typeName = TypeName.parse(canonical);
      if (PARSED.size() < MAX_CACHED) {
        PARSED.putIfAbsent(canonical, typeName);
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
