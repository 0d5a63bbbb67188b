package io.stateweave.flink.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.ingress.IngressRecord;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/**
 * The runtime's serializers cache type names per instance, so an instance belongs to one thread:
 * Flink gives each thread its own through {@link TypeSerializer#duplicate()}, a restored snapshot or
 * a copy of the job graph, and each of those must be a working instance of its own.
 */
class RecordSerializersTest {
  private static final TypeName COUNTER = TypeName.parse("example/counter");
  private static final Envelope ENVELOPE =
      new Envelope(Address.of("example/counter", "a"), Address.of("ns/caller", "b"), text());

  private static TypedValue text() {
    return TypedValue.ofBytes(TypeName.parse("ns/custom"), new byte[] {4, 2});
  }

  private static List<Case<?>> cases() {
    return List.of(
        new Case<>(new EnvelopeSerializer(), ENVELOPE),
        new Case<>(new NetworkEnvelopeSerializer(TypeNameTable.of(List.of(COUNTER))), ENVELOPE),
        new Case<>(new DelayedMessageSerializer(), new DelayedMessage(ENVELOPE, "t")),
        new Case<>(new TypedValueSerializer(), text()),
        new Case<>(new IngressRecordSerializer(), new IngressRecord(COUNTER, "k", text())));
  }

  @Test
  void aDuplicateIsAnotherInstanceEqualToTheOriginalThatWorksOnItsOwn() throws Exception {
    for (Case<?> c : cases()) {
      c.assertDuplicateWorks();
    }
  }

  @Test
  void aRestoredSerializerIsANewInstanceEachTime() throws Exception {
    for (Case<?> c : cases()) {
      c.assertRestoredWorks();
    }
  }

  @Test
  void aSerializerCopiedWithTheJobGraphWorks() throws Exception {
    for (Case<?> c : cases()) {
      c.assertCopyWorks();
    }
  }

  private static final class Case<T> {
    final TypeSerializer<T> serializer;
    final T record;

    Case(TypeSerializer<T> serializer, T record) {
      this.serializer = serializer;
      this.record = record;
    }

    void assertDuplicateWorks() throws IOException {
      TypeSerializer<T> duplicate = serializer.duplicate();
      assertThat(duplicate).isNotSameAs(serializer).isEqualTo(serializer);
      assertThat(duplicate.hashCode()).isEqualTo(serializer.hashCode());
      assertRoundTrip(duplicate);
    }

    void assertRestoredWorks() throws IOException {
      TypeSerializer<T> restored = serializer.snapshotConfiguration().restoreSerializer();
      assertThat(restored)
          .isEqualTo(serializer)
          .isNotSameAs(serializer.snapshotConfiguration().restoreSerializer());
      assertRoundTrip(restored);
    }

    void assertCopyWorks() throws Exception {
      TypeSerializer<T> copy = InstantiationUtil.clone(serializer);
      assertThat(copy).isEqualTo(serializer);
      assertRoundTrip(copy);
    }

    private void assertRoundTrip(TypeSerializer<T> other) throws IOException {
      DataOutputSerializer out = new DataOutputSerializer(64);
      serializer.serialize(record, out);
      other.serialize(record, out);
      DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
      assertThat(other.deserialize(in)).as("%s", serializer).isEqualTo(record);
      assertThat(serializer.deserialize(in)).as("%s", serializer).isEqualTo(record);
    }
  }
}
