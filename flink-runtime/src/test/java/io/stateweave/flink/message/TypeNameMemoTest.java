package io.stateweave.flink.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.sdk.TypeName;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TypeNameMemoTest {
  private final List<TypeName> lookedUp = new ArrayList<>();
  private final TypeNameMemo<String> memo =
      new TypeNameMemo<>(
          1,
          name -> {
            lookedUp.add(name);
            return name.canonical();
          });

  @Test
  void twoInstancesOfOneNameAreLookedUpOnce() {
    TypeName one = TypeName.parse("ns/a");
    TypeName other = TypeName.parse("ns/a");

    for (int i = 0; i < 3; i++) {
      assertThat(memo.get(one)).isEqualTo("ns/a");
      assertThat(memo.get(other)).isEqualTo("ns/a");
    }

    assertThat(lookedUp).hasSize(1);
  }

  @Test
  void namesSharingASlotGetTheirOwnValues() {
    TypeName a = TypeName.parse("ns/a");
    TypeName b = TypeName.parse("ns/b");
    TypeName c = TypeName.parse("ns/c");

    for (int i = 0; i < 3; i++) {
      assertThat(memo.get(a)).isEqualTo("ns/a");
      assertThat(memo.get(b)).isEqualTo("ns/b");
      assertThat(memo.get(c)).isEqualTo("ns/c");
    }

    // one slot, two ways: three names evict each other, and each is looked up again
    assertThat(lookedUp).hasSize(9);
  }

  @Test
  void aThirdInstanceOfANameIsMatchedByEqualityWithoutALookUp() {
    TypeName first = TypeName.parse("ns/a");
    memo.get(first);
    memo.get(TypeName.parse("ns/a"));

    assertThat(memo.get(TypeName.parse("ns/a"))).isEqualTo("ns/a");
    assertThat(lookedUp).containsExactly(first);
  }

  @Test
  void slotsMustBeAPowerOfTwo() {
    assertThatThrownBy(() -> new TypeNameMemo<String>(3, TypeName::canonical))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("power of two, not 3");
  }
}
