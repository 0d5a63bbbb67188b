package io.stateweave.sdk.entity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValuesTest {

  private static Object roundTrip(Object value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Values.write(new DataOutputStream(bytes), value);
    return Values.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
  }

  @Test
  void everyKindOfValueReadsBackEqualAndOfItsClass() throws IOException {
    List<Object> values =
        Arrays.asList(
            null, true, 7, 7L, 2.5, "grüße", new byte[] {1, 2}, Arrays.asList(1L, "x", null));
    for (Object value : values) {
      Object back = roundTrip(value);
      assertThat(Values.deepEquals(back, value)).as("%s", value).isTrue();
    }
    assertThat(roundTrip(7)).isInstanceOf(Integer.class);
    assertThat(roundTrip(7L)).isInstanceOf(Long.class);
    assertThat(roundTrip(new byte[] {1, 2})).isEqualTo(new byte[] {1, 2});
  }

  @Test
  void otherClassesAreRefusedNamingTheClass() {
    assertThatThrownBy(() -> Args.of(1L, List.of(new Object())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("A value of java.lang.Object cannot be an argument or result");
  }
}
