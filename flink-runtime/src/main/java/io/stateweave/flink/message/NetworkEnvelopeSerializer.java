package io.stateweave.flink.message;

import io.stateweave.sdk.Address;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializes envelopes between the operators of one job (router to dispatcher, dispatcher to
 * feedback tail, remote calls' outcomes), in a shorter form than {@link EnvelopeSerializer}'s,
 * which state keeps: a function type of the job's {@link TypeNameTable} is one byte, the caller's
 * presence shares the caller type's byte, and the payload's length is a varint: about half the
 * bytes, which the network stack copies and both sides of the shuffle first touch
 * (docs/benchmarks.md, item 20).
 *
 * <p>Both ends of an edge take the table from the same job graph. Data in this form is not kept in
 * state, only in flight: the job's checkpoints are aligned (see FunctionsGraph), so none holds it.
 */
public final class NetworkEnvelopeSerializer extends RecordSerializer<Envelope> {
  private static final long serialVersionUID = 1L;

  private static final int NO_CALLER = 0xFE;
  private static final int SPELLED_OUT = 0xFF;

  private static final int RECENT_SLOTS = 16;

  private final TypeNameTable table;
  private final transient Wire wire = new Wire();

  /** In front of the table's map: this thread's records carry the same few instances. */
  private final transient TypeNameMemo<Integer> indexes;

  public NetworkEnvelopeSerializer(TypeNameTable table) {
    this.table = Objects.requireNonNull(table, "table");
    this.indexes = new TypeNameMemo<>(RECENT_SLOTS, table::indexOf);
  }

  /** The type of envelope streams between the operators of a job with these function types. */
  public static TypeInformation<Envelope> typeInfo(TypeNameTable table) {
    return new SerializerTypeInfo<>(Envelope.class, () -> new NetworkEnvelopeSerializer(table));
  }

  @Override
  public NetworkEnvelopeSerializer duplicate() {
    return new NetworkEnvelopeSerializer(table);
  }

  @Override
  public void serialize(Envelope record, DataOutputView target) throws IOException {
    writeType(record.targetType(), target);
    target.writeUTF(record.targetId());
    Address caller = record.caller();
    if (caller == null) {
      target.writeByte(NO_CALLER);
    } else {
      writeType(caller.type(), target);
      target.writeUTF(caller.id());
    }
    TypedValue payload = record.payload();
    wire.writeTypeName(payload.typeName(), target);
    byte[] bytes = payload.bytes();
    writeVarInt(bytes.length, target);
    target.write(bytes);
  }

  @Override
  public Envelope deserialize(DataInputView source) throws IOException {
    TypeName targetType = readType(source.readUnsignedByte(), source);
    String targetId = source.readUTF();
    int callerByte = source.readUnsignedByte();
    Address caller =
        callerByte == NO_CALLER
            ? null
            : new Address(readType(callerByte, source), source.readUTF());
    TypeName payloadType = wire.readTypeName(source);
    byte[] bytes = new byte[readVarInt(source)];
    source.readFully(bytes);
    return Envelope.to(targetType, targetId, caller, TypedValue.ofBytes(payloadType, bytes));
  }

  private void writeType(TypeName type, DataOutputView out) throws IOException {
    int index = indexes.get(type);
    if (index >= 0) {
      out.writeByte(index);
    } else {
      out.writeByte(SPELLED_OUT);
      wire.writeTypeName(type, out);
    }
  }

  private TypeName readType(int first, DataInputView in) throws IOException {
    return first == SPELLED_OUT ? wire.readTypeName(in) : table.get(first);
  }

  private static void writeVarInt(int value, DataOutputView out) throws IOException {
    while ((value & ~0x7F) != 0) {
      out.writeByte((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.writeByte(value);
  }

  private static int readVarInt(DataInputView in) throws IOException {
    int value = 0;
    for (int shift = 0; shift < 32; shift += 7) {
      int b = in.readUnsignedByte();
      value |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (value < 0) {
          break;
        }
        return value;
      }
    }
    throw new IOException("Corrupt payload length in an envelope");
  }

  /** Equal with the same table. */
  @Override
  public boolean equals(Object obj) {
    return obj instanceof NetworkEnvelopeSerializer
        && ((NetworkEnvelopeSerializer) obj).table.equals(table);
  }

  @Override
  public int hashCode() {
    return table.hashCode();
  }

  @Override
  public TypeSerializerSnapshot<Envelope> snapshotConfiguration() {
    return new Snapshot(table);
  }

  /** The table's names. Public for Flink's reflective instantiation. */
  public static final class Snapshot implements TypeSerializerSnapshot<Envelope> {
    private static final int VERSION = 1;
    private TypeNameTable table;

    public Snapshot() {}

    Snapshot(TypeNameTable table) {
      this.table = table;
    }

    @Override
    public int getCurrentVersion() {
      return VERSION;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
      List<TypeName> names = table.names();
      out.writeInt(names.size());
      Wire wire = new Wire();
      for (TypeName name : names) {
        wire.writeTypeName(name, out);
      }
    }

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
        throws IOException {
      if (readVersion != VERSION) {
        throw new IOException("Unknown version " + readVersion + " of the network envelope form");
      }
      int size = in.readInt();
      List<TypeName> names = new ArrayList<>(size);
      Wire wire = new Wire();
      for (int i = 0; i < size; i++) {
        names.add(wire.readTypeName(in));
      }
      table = TypeNameTable.of(names);
    }

    @Override
    public TypeSerializer<Envelope> restoreSerializer() {
      return new NetworkEnvelopeSerializer(table);
    }

    /** Compatible only with the same table: an index means a name only in its own table. */
    @Override
    public TypeSerializerSchemaCompatibility<Envelope> resolveSchemaCompatibility(
        TypeSerializerSnapshot<Envelope> oldSerializerSnapshot) {
      return oldSerializerSnapshot instanceof Snapshot
              && ((Snapshot) oldSerializerSnapshot).table.equals(table)
          ? TypeSerializerSchemaCompatibility.compatibleAsIs()
          : TypeSerializerSchemaCompatibility.incompatible();
    }
  }
}
