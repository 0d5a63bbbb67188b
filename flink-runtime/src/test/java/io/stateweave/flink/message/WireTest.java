package io.stateweave.flink.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class WireTest {
  private final Wire wire = new Wire();

  @Test
  void bytesOfEveryLengthReadBackWhateverTheirAlignment() throws Exception {
    for (int length = 0; length <= 200; length++) {
      byte[] bytes = new byte[length];
      for (int i = 0; i < length; i++) {
        bytes[i] = (byte) (i * 31 + length);
      }
      TypedValue value = TypedValue.ofBytes(TypeName.parse("ns/raw"), bytes);
      DataOutputSerializer out = new DataOutputSerializer(64);
      out.writeByte(7); // so that the value does not start at an aligned offset
      wire.writeTypedValue(value, out);
      DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
      assertThat(in.readByte()).isEqualTo((byte) 7);
      TypedValue read = wire.readTypedValue(in);
      assertThat(read.bytes()).as("length %d", length).isEqualTo(bytes);
      assertThat(read.typeName()).isEqualTo(value.typeName());
      assertThat(in.available()).isZero();
    }
  }
}
