package io.stateweave.flink.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.sdk.types.Types;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class StateValueSerializerTest {

  @Test
  void aDecodedValueIsWrittenAsItsBytesWouldBe() throws IOException {
    byte[] written = write(StateValueSerializer.INSTANCE, 1234);

    assertThat(written).isEqualTo(plainBytes(Types.INT.serialize(1234)));
    assertThat(StateValueSerializer.INSTANCE.deserialize(new DataInputDeserializer(written)))
        .isEqualTo(Types.INT.serialize(1234));
  }

  @Test
  void statesKeptAsPlainBytesRestoreAsTheyAre() {
    @SuppressWarnings({"unchecked", "rawtypes"})
    TypeSerializerSnapshot<Object> plain =
        (TypeSerializerSnapshot) BytePrimitiveArraySerializer.INSTANCE.snapshotConfiguration();
    TypeSerializerSnapshot<Object> ours = StateValueSerializer.INSTANCE.snapshotConfiguration();
    @SuppressWarnings({"unchecked", "rawtypes"})
    TypeSerializerSnapshot<Object> ints =
        (TypeSerializerSnapshot) IntSerializer.INSTANCE.snapshotConfiguration();

    assertThat(ours.resolveSchemaCompatibility(plain).isCompatibleAsIs()).isTrue();
    assertThat(ours.resolveSchemaCompatibility(ours).isCompatibleAsIs()).isTrue();
    assertThat(ours.resolveSchemaCompatibility(ints).isIncompatible()).isTrue();
  }

  @Test
  void aRestoredSerializerEncodesDecodedValuesAsTheirTypesDo() throws IOException {
    // Flink may go on using the serializer restored for a state, as it did in a savepoint
    TypeSerializer<Object> restored =
        StateValueSerializer.INSTANCE.snapshotConfiguration().restoreSerializer();

    assertThat(restored.deserialize(new DataInputDeserializer(write(restored, 7L))))
        .isEqualTo(Types.LONG.serialize(7L));
    assertThat(restored.deserialize(new DataInputDeserializer(write(restored, "seven"))))
        .isEqualTo(Types.STRING.serialize("seven"));
  }

  @Test
  void aValueOfAnotherClassIsNamed() {
    assertThatThrownBy(() -> write(StateValueSerializer.INSTANCE, new StringBuilder("x")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("java.lang.StringBuilder");
  }

  @Test
  void copiesBytesButNotImmutableValues() {
    StateValueSerializer serializer = StateValueSerializer.INSTANCE;
    byte[] bytes = {1, 2, 3};
    String text = "kept";

    assertThat(serializer.copy(bytes)).isEqualTo(bytes).isNotSameAs(bytes);
    assertThat(serializer.copy(text)).isSameAs(text);
  }

  private static byte[] write(TypeSerializer<Object> serializer, Object value) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(16);
    serializer.serialize(value, out);
    return out.getCopyOfBuffer();
  }

  private static byte[] plainBytes(byte[] bytes) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(16);
    BytePrimitiveArraySerializer.INSTANCE.serialize(bytes, out);
    return out.getCopyOfBuffer();
  }
}
