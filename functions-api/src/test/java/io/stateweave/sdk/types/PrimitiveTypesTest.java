package io.stateweave.sdk.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrimitiveTypesTest {

  @Test
  void thePrimitivesAreStateFunsSixInTheirFixedOrder() {
    // the runtime writes a primitive's name as its position here: savepoints depend on the order
    assertThat(Types.primitives())
        .extracting(type -> type.typeName().canonical())
        .containsExactly(
            "io.statefun.types/bool",
            "io.statefun.types/int",
            "io.statefun.types/long",
            "io.statefun.types/float",
            "io.statefun.types/double",
            "io.statefun.types/string");
    assertThat(Types.primitives())
        .containsExactly(
            Types.BOOLEAN, Types.INT, Types.LONG, Types.FLOAT, Types.DOUBLE, Types.STRING);
  }

  @Test
  void eachPrimitiveIsFoundByItsNameAndByTheClassOfItsValues() {
    for (PrimitiveType<?> primitive : Types.primitives()) {
      assertThat(Types.primitive(TypeName.parse(primitive.typeName().canonical())))
          .isSameAs(primitive);
      assertThat(Types.primitive(primitive.javaClass())).isSameAs(primitive);
      assertThat(Types.forClass(primitive.javaClass())).isSameAs(primitive);
    }
    assertThat(Types.primitive(TypeName.parse("io.statefun.types/char"))).isNull();
    assertThat(Types.primitive(Character.class)).isNull();
  }

  @Test
  void everyPrimitiveReadsItsTextForm() {
    Map<PrimitiveType<?>, Object> valueOfText =
        Map.of(
            Types.BOOLEAN, true,
            Types.INT, -42,
            Types.LONG, 1L << 40,
            Types.FLOAT, 1.25f,
            Types.DOUBLE, 2.5d,
            Types.STRING, " as it is ");
    Map<PrimitiveType<?>, String> text =
        Map.of(
            Types.BOOLEAN, " TRUE ",
            Types.INT, " -42",
            Types.LONG, "1099511627776 ",
            Types.FLOAT, "1.25",
            Types.DOUBLE, "2.5",
            Types.STRING, " as it is ");
    assertThat(valueOfText.keySet()).containsExactlyInAnyOrderElementsOf(Types.primitives());

    for (PrimitiveType<?> primitive : Types.primitives()) {
      TypedValue read = primitive.fromText(text.get(primitive));
      assertThat(read.typeName()).isEqualTo(primitive.typeName());
      assertThat(primitive.deserialize(read.bytes()))
          .as("%s", primitive)
          .isEqualTo(valueOfText.get(primitive));
    }
  }

  @Test
  void textThatIsNoValueOfTheTypeIsRejectedNamingBoth() {
    assertThatThrownBy(() -> Types.INT.fromText("2.5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'2.5' is not a valid io.statefun.types/int value");
    // not every word that is not "true" as false
    assertThatThrownBy(() -> Types.BOOLEAN.fromText("yes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'yes' is not a valid io.statefun.types/bool value");
  }
}
