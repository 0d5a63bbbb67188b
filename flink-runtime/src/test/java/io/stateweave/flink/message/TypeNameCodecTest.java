package io.stateweave.flink.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.types.Types;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class TypeNameCodecTest {
  private final TypeNameCodec codec = new TypeNameCodec();

  @Test
  void namesAreWrittenInWriteUtfFormSoEarlierSnapshotsStillRead() throws Exception {
    TypeName name = TypeName.parse("caf\u00e9.ns/na\u00efve-\u20ac");
    DataOutputSerializer viaCodec = new DataOutputSerializer(32);
    codec.write(name, viaCodec);
    DataOutputSerializer viaWriteUtf = new DataOutputSerializer(32);
    viaWriteUtf.writeUTF(name.canonical());
    assertThat(viaCodec.getCopyOfBuffer()).isEqualTo(viaWriteUtf.getCopyOfBuffer());

    TypeName read = codec.read(new DataInputDeserializer(viaWriteUtf.getCopyOfBuffer()));
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
        codec.write(name, out);
      }
    }
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    for (int round = 0; round < 3; round++) {
      for (TypeName name : names) {
        assertThat(codec.read(in)).isEqualTo(name);
      }
    }
    assertThat(in.available()).isZero();
  }

  @Test
  void knownNamesSharingAPrefixAreMatchedWithoutTheSlowPath() throws Exception {
    // the same length and first word, another tail; the same length and first words, another
    // middle word: once read, each is matched as it is read, not parsed again
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
        codec.write(name, out);
      }
    }
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    List<TypeName> firstRead = new ArrayList<>();
    for (TypeName name : names) {
      firstRead.add(codec.read(in));
    }
    assertThat(firstRead).isEqualTo(names);
    assertThat(codec.slowReads()).isEqualTo(names.size());
    for (int round = 1; round < 4; round++) {
      for (TypeName name : firstRead) {
        assertThat(codec.read(in)).isSameAs(name);
      }
    }
    assertThat(codec.slowReads()).isEqualTo(names.size());
  }

  @Test
  void eachCodecLearnsNamesOfItsOwn() throws Exception {
    // caches belong to a serializer instance, so to one thread: what one codec has read, another
    // reads the slow way, into an instance of its own
    TypeName name = TypeName.parse("ns/learned-by-one");
    TypeName readByOne = codec.read(written(name));
    codec.read(written(name));
    TypeNameCodec other = new TypeNameCodec();

    TypeName readByOther = other.read(written(name));

    assertThat(codec.slowReads()).isEqualTo(1);
    assertThat(other.slowReads()).isEqualTo(1);
    assertThat(readByOther).isEqualTo(readByOne).isNotSameAs(readByOne);
  }

  private static DataInputDeserializer written(TypeName name) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    out.writeUTF(name.canonical());
    return new DataInputDeserializer(out.getCopyOfBuffer());
  }

  @Test
  void instancesOfOneNameAndNamesSharingASlotEncodeAsTheirOwn() throws IOException {
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
        DataOutputSerializer out = new DataOutputSerializer(32);
        codec.write(name, out);
        assertThat(out.getCopyOfBuffer()).isEqualTo(utf(name.canonical()));
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
    codec.write(name, out);
    codec.write(name, out);
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    assertThat(codec.read(in)).isSameAs(codec.read(in));
  }

  @Test
  void statefunPrimitivesAreFixedTwoByteCodesAndTheirSpelledOutNamesStillRead() throws Exception {
    // savepoints hold these codes: they never change
    Map<TypeName, Integer> codes =
        Map.of(
            Types.BOOLEAN.typeName(), 0xFF00,
            Types.INT.typeName(), 0xFF01,
            Types.LONG.typeName(), 0xFF02,
            Types.FLOAT.typeName(), 0xFF03,
            Types.DOUBLE.typeName(), 0xFF04,
            Types.STRING.typeName(), 0xFF05);
    assertThat(codes).hasSameSizeAs(Types.primitives());
    for (TypeName primitive : codes.keySet()) {
      DataOutputSerializer coded = new DataOutputSerializer(8);
      codec.write(primitive, coded);
      assertThat(coded.length()).as("%s", primitive).isEqualTo(2);
      assertThat(new DataInputDeserializer(coded.getCopyOfBuffer()).readUnsignedShort())
          .as("%s", primitive)
          .isEqualTo(codes.get(primitive));
      assertThat(codec.read(new DataInputDeserializer(coded.getCopyOfBuffer())))
          .isSameAs(Types.primitive(primitive).typeName());

      DataOutputSerializer spelledOut = new DataOutputSerializer(32);
      spelledOut.writeUTF(primitive.canonical());
      assertThat(codec.read(new DataInputDeserializer(spelledOut.getCopyOfBuffer())))
          .isEqualTo(primitive);
    }
  }

  @Test
  void anUnknownCodeIsAnErrorNotAWrongName() throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(8);
    out.writeShort(TypeNameCodec.FIRST_CODE + 200);
    assertThatThrownBy(() -> codec.read(new DataInputDeserializer(out.getCopyOfBuffer())))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Unknown type name code 200");
  }

  @Test
  void aNameTooLongForTheWireIsRejectedWhenWritten() {
    TypeName huge = TypeName.parse("ns/" + "x".repeat(TypeNameCodec.FIRST_CODE));
    assertThatThrownBy(() -> codec.write(huge, new DataOutputSerializer(8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than the 65279 a type name may have");
  }
}
