package io.stateweave.flink.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Records cross the network unchanged, whatever the length of their key and value. */
class ProcessorRecordSerializerTest {
  private final ProcessorRecordSerializer serializer = new ProcessorRecordSerializer();

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 5, 32, 33, 1000})
  void keysAndValuesOfAnyLengthComeBackAsTheyWere(int length) throws IOException {
    byte[] key = bytes(length, 7);
    byte[] value = bytes(length + 1, 11);
    DataOutputSerializer out = new DataOutputSerializer(16);
    serializer.serialize(new ProcessorRecord(3, key, value), out);
    serializer.serialize(new ProcessorRecord(4, value, key), out);

    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    ProcessorRecord first = serializer.deserialize(in);
    ProcessorRecord second = serializer.deserialize(in);

    assertThat(first.channel()).isEqualTo(3);
    assertThat(first.key()).containsExactly(key);
    assertThat(first.value()).containsExactly(value);
    assertThat(second.channel()).isEqualTo(4);
    assertThat(second.key()).containsExactly(value);
    assertThat(second.value()).containsExactly(key);
    assertThat(in.available()).isZero();
  }

  /** {@code length} bytes counting up from {@code first}, through every byte value. */
  private static byte[] bytes(int length, int first) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (first + i * 37);
    }
    return bytes;
  }
}
