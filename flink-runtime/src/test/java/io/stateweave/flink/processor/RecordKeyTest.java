package io.stateweave.flink.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A record key is, to Flink, the ISO-8859-1 text of its bytes: the same hash (so the same key
 * group and subtask), the same serialized bytes, and state keyed by that text restores as is.
 */
class RecordKeyTest {
  private final RecordKeySerializer serializer = new RecordKeySerializer();

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 5, 126, 127, 128, 300, 20_000})
  void hashesAndSerializesAsItsText(int length) throws IOException {
    byte[] bytes = everyByte(length);
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    RecordKey key = new RecordKey(bytes);

    assertThat(key.hashCode()).isEqualTo(text.hashCode());
    assertThat(KeyGroupRangeAssignment.assignToKeyGroup(key, 128))
        .isEqualTo(KeyGroupRangeAssignment.assignToKeyGroup(text, 128));
    DataOutputSerializer ours = new DataOutputSerializer(16);
    serializer.serialize(key, ours);
    DataOutputSerializer strings = new DataOutputSerializer(16);
    StringSerializer.INSTANCE.serialize(text, strings);
    assertThat(ours.getCopyOfBuffer()).containsExactly(strings.getCopyOfBuffer());

    RecordKey back = serializer.deserialize(new DataInputDeserializer(strings.getCopyOfBuffer()));
    assertThat(back).isEqualTo(key).hasSameHashCodeAs(key);
    assertThat(back.bytes()).containsExactly(bytes);
  }

  @Test
  void keysAreEqualByTheirBytes() {
    assertThat(new RecordKey(new byte[] {1, 2})).isEqualTo(new RecordKey(new byte[] {1, 2}));
    assertThat(new RecordKey(new byte[] {1, 2})).isNotEqualTo(new RecordKey(new byte[] {1, 3}));
    assertThat(new RecordKey(new byte[0])).isEqualTo(new RecordKey(ProcessorRecord.NONE));
    // the same hash ("Aa" and "BB" collide as strings), other bytes
    assertThat(new RecordKey(new byte[] {'A', 'a'}))
        .isNotEqualTo(new RecordKey(new byte[] {'B', 'B'}));
  }

  @Test
  void stateKeyedByTextRestoresAsIs() {
    RecordKeySerializer.Snapshot ours = new RecordKeySerializer.Snapshot();

    assertThat(
            compatibility(ours, new StringSerializer.StringSerializerSnapshot()).isCompatibleAsIs())
        .isTrue();
    assertThat(compatibility(ours, new RecordKeySerializer.Snapshot()).isCompatibleAsIs()).isTrue();
    assertThat(compatibility(ours, new IntSerializer.IntSerializerSnapshot()).isIncompatible())
        .isTrue();
  }

  /** As a restore asks it: the new serializer's snapshot about the savepoint's. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static TypeSerializerSchemaCompatibility<RecordKey> compatibility(
      RecordKeySerializer.Snapshot ours, TypeSerializerSnapshot<?> old) {
    return ours.resolveSchemaCompatibility((TypeSerializerSnapshot) old);
  }

  /** {@code length} bytes running through every byte value, 0x80 to 0xFF included. */
  private static byte[] everyByte(int length) {
    byte[] bytes = new byte[length];
    IntStream.range(0, length).forEach(i -> bytes[i] = (byte) (i * 7 + 3));
    return bytes;
  }
}
