package io.stateweave.flink.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.sdk.Address;
import io.stateweave.sdk.TypedValue;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class EnvelopeSerializerTest {
  private final EnvelopeSerializer serializer = new EnvelopeSerializer();

  private Envelope roundTrip(Envelope envelope) throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(envelope, out);
    return serializer.deserialize(
        new DataInputDeserializer(out.getCopyOfBuffer()));
  }

  @Test
  void envelopesRoundTripWithAndWithoutCaller() throws Exception {
    Envelope fromIngress = new Envelope(Address.of("ns/f", "a"), null, TypedValue.of(7));
    Envelope fromFunction =
        new Envelope(Address.of("ns/f", "b"), Address.of("other.ns/g", "c"), TypedValue.of("x"));
    assertThat(roundTrip(fromIngress)).isEqualTo(fromIngress);
    assertThat(roundTrip(fromFunction)).isEqualTo(fromFunction);
    assertThat(roundTrip(fromFunction).caller().type().namespace()).isEqualTo("other.ns");
  }

  @Test
  void typeNamesReadBackAreShared() throws Exception {
    Envelope envelope = new Envelope(Address.of("ns/shared", "a"), null, TypedValue.of(1L));
    Envelope first = roundTrip(envelope);
    Envelope second = roundTrip(envelope);
    assertThat(second.target().type()).isSameAs(first.target().type());
    assertThat(second.payload().typeName()).isSameAs(first.payload().typeName());
  }
}
