package io.stateweave.flink.egress;

import io.stateweave.flink.message.TypedValueSerializer;
import io.stateweave.sdk.TypedValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Writes a batch into the committer's checkpointed state: its id, then each record in the runtime's
 * own typed value format. Stateless, so that the sink's threads can share it: each batch gets a
 * typed-value serializer of its own.
 */
final class CollectedBatchSerializer implements SimpleVersionedSerializer<CollectedBatch> {
  static final CollectedBatchSerializer INSTANCE = new CollectedBatchSerializer();

  private static final int VERSION = 1;

  private CollectedBatchSerializer() {}

  @Override
  public int getVersion() {
    return VERSION;
  }

  @Override
  public byte[] serialize(CollectedBatch batch) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    out.writeLong(batch.id().getMostSignificantBits());
    out.writeLong(batch.id().getLeastSignificantBits());
    out.writeInt(batch.records().size());
    TypedValueSerializer records = new TypedValueSerializer();
    for (TypedValue record : batch.records()) {
      records.serialize(record, out);
    }
    return out.getCopyOfBuffer();
  }

  @Override
  public CollectedBatch deserialize(int version, byte[] serialized) throws IOException {
    if (version != VERSION) {
      throw new IOException(
          "collected batch of serializer version " + version + ", this one reads " + VERSION);
    }
    DataInputDeserializer in = new DataInputDeserializer(serialized);
    UUID id = new UUID(in.readLong(), in.readLong());
    int size = in.readInt();
    List<TypedValue> records = new ArrayList<>(size);
    TypedValueSerializer serializer = new TypedValueSerializer();
    for (int i = 0; i < size; i++) {
      records.add(serializer.deserialize(in));
    }
    return new CollectedBatch(id, records);
  }
}
