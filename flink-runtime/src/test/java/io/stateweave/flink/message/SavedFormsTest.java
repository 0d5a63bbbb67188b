package io.stateweave.flink.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.ingress.IngressRecord;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import java.io.IOException;
import java.util.HexFormat;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The forms that checkpoints and savepoints keep, as the runtime of commit e3cda42 wrote them:
 * records in state (feedback log, delayed messages, remote calls' queues) and the serializers'
 * snapshots. A savepoint taken before a change to the serializers restores only if these still read
 * and are written the same.
 */
class SavedFormsTest {
  private static final Envelope FROM_INGRESS =
      new Envelope(Address.of("example/counter", "a1"), null, TypedValue.of(7));
  private static final Envelope FROM_FUNCTION =
      new Envelope(
          Address.of("example/greeter", "b"),
          Address.of("caf\u00e9.ns/caller", "c"),
          TypedValue.ofBytes(
              TypeName.parse("type.googleapis.com/my.pkg.User"), new byte[] {1, 2, 3}));

  /** Target spelled out, no caller, an int payload as the two-byte code of its type. */
  private static final String FROM_INGRESS_BYTES =
      "000f6578616d706c652f636f756e7465720002613100ff01000000050d07000000";

  /** Target and a non-ASCII caller spelled out, a payload of a type spelled out. */
  private static final String FROM_FUNCTION_BYTES =
      "000f6578616d706c652f6772656574657200016201000f636166c3a92e6e732f63616c6c6572000163"
          + "001f747970652e676f6f676c65617069732e636f6d2f6d792e706b672e5573657200000003010203";

  @Test
  void envelopesInStateReadAndWriteAsBefore() throws IOException {
    assertSavedForm(new EnvelopeSerializer(), FROM_INGRESS, FROM_INGRESS_BYTES);
    assertSavedForm(new EnvelopeSerializer(), FROM_FUNCTION, FROM_FUNCTION_BYTES);
  }

  @Test
  void delayedMessagesInStateReadAndWriteAsBefore() throws IOException {
    DelayedMessageSerializer serializer = new DelayedMessageSerializer();
    DelayedMessage cancellable = new DelayedMessage(FROM_INGRESS, "token-1");
    DelayedMessage plain = new DelayedMessage(FROM_FUNCTION, null);

    assertThat(write(serializer, cancellable))
        .isEqualTo(FROM_INGRESS_BYTES + "010007746f6b656e2d31");
    assertThat(write(serializer, plain)).isEqualTo(FROM_FUNCTION_BYTES + "00");
    DelayedMessage read = read(serializer, FROM_INGRESS_BYTES + "010007746f6b656e2d31");
    assertThat(read.envelope()).isEqualTo(FROM_INGRESS);
    assertThat(read.cancellationToken()).isEqualTo("token-1");
    assertThat(read(serializer, FROM_FUNCTION_BYTES + "00").cancellationToken()).isNull();
  }

  @Test
  void typedValuesAndIngressRecordsReadAndWriteAsBefore() throws IOException {
    assertSavedForm(new TypedValueSerializer(), TypedValue.of("hello"), "ff05000000070a0568656c6c6f");
    assertSavedForm(
        new IngressRecordSerializer(),
        new IngressRecord(TypeName.parse("example/in"), null, TypedValue.of(true)),
        "000a6578616d706c652f696e00ff00000000020801");
    assertSavedForm(
        new IngressRecordSerializer(),
        new IngressRecord(TypeName.parse("example/in"), "k", TypedValue.of(2.5d)),
        "000a6578616d706c652f696e0100016bff0400000009090000000000000440");
  }

  @Test
  void serializerSnapshotsRestoreAsCompatible() throws IOException {
    assertSnapshotRestores(
        new EnvelopeSerializer(),
        "0037696f2e737461746577656176652e666c696e6b2e6d6573736167652e456e76656c6f70655365"
            + "7269616c697a657224536e617073686f7400000003");
    assertSnapshotRestores(
        new DelayedMessageSerializer(),
        "003d696f2e737461746577656176652e666c696e6b2e6d6573736167652e44656c617965644d6573"
            + "7361676553657269616c697a657224536e617073686f7400000003");
    assertSnapshotRestores(
        new TypedValueSerializer(),
        "0039696f2e737461746577656176652e666c696e6b2e6d6573736167652e547970656456616c7565"
            + "53657269616c697a657224536e617073686f7400000003");
    assertSnapshotRestores(
        new IngressRecordSerializer(),
        "003c696f2e737461746577656176652e666c696e6b2e6d6573736167652e496e6772657373526563"
            + "6f726453657269616c697a657224536e617073686f7400000003");
  }

  private static <T> void assertSavedForm(TypeSerializer<T> serializer, T record, String hex)
      throws IOException {
    assertThat(write(serializer, record)).isEqualTo(hex);
    assertThat(read(serializer, hex)).isEqualTo(record);
  }

  private static <T> void assertSnapshotRestores(TypeSerializer<T> current, String savedHex)
      throws IOException {
    TypeSerializerSnapshot<T> saved =
        TypeSerializerSnapshot.readVersionedSnapshot(
            new DataInputDeserializer(HexFormat.of().parseHex(savedHex)),
            SavedFormsTest.class.getClassLoader());

    assertThat(current.snapshotConfiguration().resolveSchemaCompatibility(saved).isCompatibleAsIs())
        .isTrue();
    assertThat(saved.restoreSerializer()).isEqualTo(current);
    DataOutputSerializer out = new DataOutputSerializer(64);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, current.snapshotConfiguration());
    assertThat(HexFormat.of().formatHex(out.getCopyOfBuffer())).isEqualTo(savedHex);
  }

  private static <T> String write(TypeSerializer<T> serializer, T record) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(record, out);
    return HexFormat.of().formatHex(out.getCopyOfBuffer());
  }

  private static <T> T read(TypeSerializer<T> serializer, String hex) throws IOException {
    DataInputDeserializer in = new DataInputDeserializer(HexFormat.of().parseHex(hex));
    T record = serializer.deserialize(in);
    assertThat(in.available()).as("bytes left after the record").isZero();
    return record;
  }
}
