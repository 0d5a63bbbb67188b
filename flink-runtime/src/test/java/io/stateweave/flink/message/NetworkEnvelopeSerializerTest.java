package io.stateweave.flink.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.sdk.Address;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class NetworkEnvelopeSerializerTest {
  private static final TypeName COUNTER = TypeName.parse("bench/count");
  private static final TypeName GREETER = TypeName.parse("example/greeter");
  private static final NetworkEnvelopeSerializer SERIALIZER =
      new NetworkEnvelopeSerializer(TypeNameTable.of(List.of(GREETER, COUNTER, GREETER)));

  @Test
  void envelopesRoundTripWithTypesInAndOutOfTheTable() throws IOException {
    List<Envelope> envelopes =
        List.of(
            Envelope.to(COUNTER, "a1", null, TypedValue.of(1)),
            new Envelope(Address.of("other/f", "b"), Address.of("example/greeter", "c"), text(0)),
            new Envelope(Address.of("example/greeter", "d"), Address.of("x.y/z", "e"), text(200)),
            new Envelope(Address.of("bench/count", "f"), null, text(20_000)));
    for (Envelope envelope : envelopes) {
      Envelope read = read(SERIALIZER, write(SERIALIZER, envelope));
      assertThat(read).isEqualTo(envelope);
    }
  }

  @Test
  void anEnvelopeFromAnIngressIsHalfItsStateForm() throws IOException {
    Envelope envelope = Envelope.to(COUNTER, "a1234", null, TypedValue.of(1));
    DataOutputSerializer stateForm = new DataOutputSerializer(64);
    new EnvelopeSerializer().serialize(envelope, stateForm);

    assertThat(write(SERIALIZER, envelope)).hasSize(17);
    assertThat(stateForm.length()).isEqualTo(32);
  }

  @Test
  void typesReadBackAreTheTablesInstances() throws IOException {
    Envelope envelope = Envelope.to(TypeName.parse("bench/count"), "a", null, TypedValue.of(1));
    Envelope first = read(SERIALIZER, write(SERIALIZER, envelope));
    Envelope second = read(SERIALIZER, write(SERIALIZER, envelope));
    assertThat(second.targetType()).isSameAs(first.targetType());
  }

  @Test
  void theSnapshotKeepsTheTableAndAcceptsOnlyTheSameTable() throws IOException {
    TypeSerializerSnapshot<Envelope> snapshot = SERIALIZER.snapshotConfiguration();
    DataOutputSerializer out = new DataOutputSerializer(64);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
    TypeSerializerSnapshot<Envelope> read =
        TypeSerializerSnapshot.readVersionedSnapshot(
            new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
    TypeSerializer<Envelope> restored = read.restoreSerializer();
    Envelope envelope = Envelope.to(GREETER, "g", null, TypedValue.of("hi"));

    assertThat(restored).isEqualTo(SERIALIZER);
    assertThat(read(restored, write(SERIALIZER, envelope))).isEqualTo(envelope);
    assertThat(
            SERIALIZER.snapshotConfiguration().resolveSchemaCompatibility(read).isCompatibleAsIs())
        .isTrue();
    TypeSerializerSnapshot<Envelope> other =
        new NetworkEnvelopeSerializer(TypeNameTable.of(List.of(COUNTER))).snapshotConfiguration();
    assertThat(other.resolveSchemaCompatibility(read).isIncompatible()).isTrue();
  }

  @Test
  void anIndexBeyondTheTableIsCorruptDataNotAnotherType() throws IOException {
    NetworkEnvelopeSerializer smaller =
        new NetworkEnvelopeSerializer(TypeNameTable.of(List.of(COUNTER)));
    byte[] bytes = write(SERIALIZER, Envelope.to(GREETER, "g", null, TypedValue.of(1)));

    assertThatThrownBy(() -> read(smaller, bytes))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("index 1");
  }

  private static TypedValue text(int length) {
    return TypedValue.of("x".repeat(length));
  }

  private static byte[] write(TypeSerializer<Envelope> serializer, Envelope envelope)
      throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(envelope, out);
    return out.getCopyOfBuffer();
  }

  private static Envelope read(TypeSerializer<Envelope> serializer, byte[] bytes)
      throws IOException {
    return serializer.deserialize(new DataInputDeserializer(bytes));
  }
}
