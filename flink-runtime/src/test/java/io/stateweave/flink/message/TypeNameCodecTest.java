package io.stateweave.flink.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.types.Types;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class TypeNameCodecTest {

  @Test
  void namesAreWrittenInWriteUtfFormSoEarlierSnapshotsStillRead() throws Exception {
    TypeName name = TypeName.parse("caf\u00e9.ns/na\u00efve-\u20ac");
    DataOutputSerializer viaCodec = new DataOutputSerializer(32);
    Wire.writeTypeName(name, viaCodec);
    DataOutputSerializer viaWriteUtf = new DataOutputSerializer(32);
    viaWriteUtf.writeUTF(name.canonical());
    assertThat(viaCodec.getCopyOfBuffer()).isEqualTo(viaWriteUtf.getCopyOfBuffer());

    TypeName read = Wire.readTypeName(new DataInputDeserializer(viaWriteUtf.getCopyOfBuffer()));
    assertThat(read).isEqualTo(name);
    assertThat(read.namespace()).isEqualTo("caf\u00e9.ns");
    assertThat(read.name()).isEqualTo("na\u00efve-\u20ac");
  }

  @Test
  void namesOfOneLengthAreToldApartWhereverTheyDiffer() throws Exception {
    // Names are matched eight bytes at a time against the names of their length read before: for
    // lengths below, at and above a word, names that differ only in the first byte, in a middle
    // word, or in the tail, more of them than a length keeps; interleaved, so that every match
    // fails somewhere for most reads.
    List<TypeName> names = new ArrayList<>();
    for (int length = 3; length <= 27; length++) {
      String base = "n/" + "x".repeat(length - 2);
      for (int position : new int[] {0, length / 2, length - 1}) {
        for (char c = 'a'; c <= 'l'; c++) {
          char[] chars = base.toCharArray();
          chars[position == 1 ? 0 : position] = c;
          names.add(TypeName.parse(new String(chars)));
        }
      }
    }
    DataOutputSerializer out = new DataOutputSerializer(1 << 16);
    for (int round = 0; round < 3; round++) {
      for (TypeName name : names) {
        Wire.writeTypeName(name, out);
      }
    }
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    for (int round = 0; round < 3; round++) {
      for (TypeName name : names) {
        assertThat(Wire.readTypeName(in)).isEqualTo(name);
      }
    }
    assertThat(in.available()).isZero();
  }

  @Test
  void knownNamesSharingAPrefixAreMatchedWithoutTheSlowPath() throws Exception {
    // the same length and first word, another tail; the same length and first words, another
    // middle word: once read, each is matched as it is read, not parsed again (lengths no other
    // test uses: a length keeps a bounded number of names)
    String a = "a".repeat(17);
    String b = "b".repeat(18);
    List<TypeName> names =
        List.of(
            TypeName.parse("pf/" + "c".repeat(25) + "-1"),
            TypeName.parse("pf/" + "c".repeat(25) + "-2"),
            TypeName.parse("pf/" + a + "-x-" + b),
            TypeName.parse("pf/" + a + "-y-" + b));
    DataOutputSerializer out = new DataOutputSerializer(256);
    for (int round = 0; round < 4; round++) {
      for (TypeName name : names) {
        Wire.writeTypeName(name, out);
      }
    }
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    for (TypeName name : names) {
      assertThat(Wire.readTypeName(in)).isEqualTo(name);
    }
    long slowReads = TypeNameCodec.unknownReads();
    for (int round = 1; round < 4; round++) {
      for (TypeName name : names) {
        assertThat(Wire.readTypeName(in)).isSameAs(Wire.readTypeName(readBack(name)));
      }
    }
    assertThat(TypeNameCodec.unknownReads()).isEqualTo(slowReads);
  }

  private static DataInputDeserializer readBack(TypeName name) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    Wire.writeTypeName(name, out);
    return new DataInputDeserializer(out.getCopyOfBuffer());
  }

  @Test
  void instancesOfOneNameAndNamesSharingASlotEncodeAsTheirOwn() {
    // subtasks hold instances of their own of one name; a slot of the encoder keeps two
    List<TypeName> names = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      names.add(TypeName.parse("shared.ns/function"));
    }
    for (int i = 0; i < 40; i++) {
      names.add(TypeName.parse("other.ns/f" + i));
    }
    for (int round = 0; round < 3; round++) {
      for (TypeName name : names) {
        assertThat(TypeNameCodec.encoded(name)).isEqualTo(utf(name.canonical()));
      }
    }
  }

  private static byte[] utf(String text) {
    DataOutputSerializer out = new DataOutputSerializer(32);
    try {
      out.writeUTF(text);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.getCopyOfBuffer();
  }

  @Test
  void namesReadBackAreSharedInstances() throws Exception {
    TypeName name = TypeName.parse("ns/shared-instance");
    DataOutputSerializer out = new DataOutputSerializer(32);
    Wire.writeTypeName(name, out);
    Wire.writeTypeName(name, out);
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    assertThat(Wire.readTypeName(in)).isSameAs(Wire.readTypeName(in));
  }

  @Test
  void statefunPrimitivesTakeTwoBytesAndTheirSpelledOutNamesStillRead() throws Exception {
    for (TypeName primitive :
        List.of(
            Types.BOOLEAN.typeName(),
            Types.INT.typeName(),
            Types.LONG.typeName(),
            Types.FLOAT.typeName(),
            Types.DOUBLE.typeName(),
            Types.STRING.typeName())) {
      DataOutputSerializer coded = new DataOutputSerializer(8);
      Wire.writeTypeName(primitive, coded);
      assertThat(coded.length()).as("%s", primitive).isEqualTo(2);
      assertThat(Wire.readTypeName(new DataInputDeserializer(coded.getCopyOfBuffer())))
          .isSameAs(primitive);

      DataOutputSerializer spelledOut = new DataOutputSerializer(32);
      spelledOut.writeUTF(primitive.canonical());
      assertThat(Wire.readTypeName(new DataInputDeserializer(spelledOut.getCopyOfBuffer())))
          .isEqualTo(primitive);
    }
  }

  @Test
  void anUnknownCodeIsAnErrorNotAWrongName() throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(8);
    out.writeShort(TypeNameCodec.FIRST_CODE + 200);
    assertThatThrownBy(() -> Wire.readTypeName(new DataInputDeserializer(out.getCopyOfBuffer())))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Unknown type name code 200");
  }

  @Test
  void aNameTooLongForTheWireIsRejectedWhenWritten() {
    TypeName huge = TypeName.parse("ns/" + "x".repeat(TypeNameCodec.FIRST_CODE));
    assertThatThrownBy(() -> Wire.writeTypeName(huge, new DataOutputSerializer(8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than the 65279 a type name may have");
  }
}
