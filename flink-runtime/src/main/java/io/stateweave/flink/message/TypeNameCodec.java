package io.stateweave.flink.message;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.types.Types;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>Each direction has a small direct-mapped table of the names last seen, over a map of all names
 * seen. The maps are bounded, so that a stream of distinct names cannot grow them without end;
 * beyond the bound names are encoded and parsed per record.
 */
final class TypeNameCodec {
  private static final int MAX_CACHED = 4_096;

  /** Direct-mapped by a cheap fingerprint of the bytes; a slot holds the last name that hit it. */
  private static final int SLOTS = 256;

  static final int FIRST_CODE = 0xFF00;

  /** Append only: a code, once written into a savepoint, must keep its name. */
  private static final List<TypeName> CODED =
      List.of(
          Types.BOOLEAN.typeName(),
          Types.INT.typeName(),
          Types.LONG.typeName(),
          Types.FLOAT.typeName(),
          Types.DOUBLE.typeName(),
          Types.STRING.typeName());

  private static final ConcurrentHashMap<TypeName, byte[]> ENCODED = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<String, TypeName> PARSED = new ConcurrentHashMap<>();

  /**
   * Racy on purpose: entries are immutable, so a reader sees a whole entry or an older one, and a
   * miss only costs the slower path.
   */
  private static final Entry[] RECENT = new Entry[SLOTS];

  /**
   * Where a name is read to be matched, one per thread: the match is the common case and needs no
   * array of its own (an array per name read was a tenth of the dispatcher's allocations in the
   * count benchmark).
   */
  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[64]);

  /**
   * The names last encoded, direct-mapped by hash and matched by identity, then by equality:
   * records carry the same few {@link TypeName} instances, and this is cheaper than the map's
   * lookup, which was a quarter of the router's samples in the count benchmark. Each subtask has
   * instances of its own (deserialized with its operator), so a match by identity alone made two
   * routers overwrite each other's entry over and over: an allocation and a write to a cache line
   * both cores share, every few records. Racy on purpose, as {@link #RECENT}.
   */
  private static final Entry[] RECENT_ENCODED = new Entry[SLOTS];

  static {
    for (int code = 0; code < CODED.size(); code++) {
      int prefix = FIRST_CODE + code;
      ENCODED.put(CODED.get(code), new byte[] {(byte) (prefix >>> 8), (byte) prefix});
    }
  }

  private TypeNameCodec() {}

  /** The name in {@code writeUTF}'s form. */
  static byte[] encoded(TypeName typeName) {
    int slot = typeName.hashCode() & (SLOTS - 1);
    Entry recent = RECENT_ENCODED[slot];
    if (recent != null && (recent.typeName == typeName || recent.typeName.equals(typeName))) {
      return recent.utf;
    }
    byte[] encoded = lookUpEncoded(typeName);
    RECENT_ENCODED[slot] = new Entry(encoded, typeName);
    return encoded;
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
    int size = length + 2;
    byte[] scratch = SCRATCH.get();
    if (scratch.length < size) {
      scratch = new byte[Math.max(size, 2 * scratch.length)];
      SCRATCH.set(scratch);
    }
    scratch[0] = (byte) (length >>> 8);
    scratch[1] = (byte) length;
    in.readFully(scratch, 2, length);
    int slot = slot(scratch, size);
    Entry recent = RECENT[slot];
    if (recent != null
        && recent.utf.length == size
        && Arrays.equals(recent.utf, 0, size, scratch, 0, size)) {
      return recent.typeName;
    }
    byte[] utf = Arrays.copyOf(scratch, size);
    TypeName typeName = parse(new DataInputDeserializer(utf).readUTF());
    RECENT[slot] = new Entry(utf, typeName);
    return typeName;
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

  /** Length and the last two characters: names of one job differ there nearly always. */
  private static int slot(byte[] utf, int n) {
    return (n * 31 + utf[n - 1] * 7 + utf[n - 2]) & (SLOTS - 1);
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

  /** A name and its bytes on the wire: writeUTF's form, or a code. */
  private static final class Entry {
    final byte[] utf;
    final TypeName typeName;

    Entry(byte[] utf, TypeName typeName) {
      this.utf = utf;
      this.typeName = typeName;
    }
  }
}
