package io.stateweave.sdk.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store's semantics, the same on the harness and on Flink (both run {@link KVStores}). */
class KVStoreTest {
  private ProcessorTestHarness harness;
  private KVStore store;

  @BeforeEach
  void newStore() {
    harness = ProcessorTestHarness.forProcessor(() -> (ctx, source, data) -> {}, Map.of(), 0);
    store = harness.store("k", "s");
  }

  @Test
  void getTellsAbsentFromEmpty() {
    store.put(bytes("empty"), new byte[0]);

    assertThat(store.get(bytes("empty"))).hasValueSatisfying(v -> assertThat(v).isEmpty());
    assertThat(store.get(bytes("absent"))).isEmpty();
    store.delete(bytes("empty"));
    assertThat(store.get(bytes("empty"))).isEmpty();
  }

  @Test
  void valuesAreTheStoredArraysNotCopies() {
    byte[] value = bytes("v");
    store.put(bytes("k"), value);

    assertThat(store.get(bytes("k")).orElseThrow()).isSameAs(value);
    assertThat(store.scan(bytes("k")).get(0).value()).isSameAs(value);
    ComplexKey complex = ComplexKey.of("g", "k", "n", "u");
    store.put(complex, value);
    assertThat(store.get(complex).orElseThrow()).isSameAs(value);
    assertThat(store.scan(complex).get(0).value()).isSameAs(value);
  }

  @Test
  void aKeyArrayChangedBetweenCallsNamesItsNewBytes() {
    byte[] key = bytes("a");
    store.put(key, bytes("1"));
    key[0] = 'b';
    store.put(key, bytes("2"));

    assertThat(text(store.get(bytes("a")).orElseThrow())).isEqualTo("1");
    assertThat(text(store.get(key).orElseThrow())).isEqualTo("2");
    assertThat(store.scan(new byte[0])).extracting(e -> text(e.key())).containsExactly("a", "b");
  }

  @Test
  void plainScansAreInUnsignedByteOrderWithinThePrefix() {
    for (byte[] key :
        List.of(
            bytes("b"),
            bytes("a"),
            bytes("ab"),
            new byte[] {'a', (byte) 0xFF},
            new byte[] {'a', 0},
            bytes("a\u007f"),
            bytes(""))) {
      store.put(key, bytes("v"));
    }
    store.put(ComplexKey.of("a", "a", "a", "a"), bytes("complex"));

    assertThat(store.scan(bytes("a")))
        .extracting(e -> List.of(box(e.key())))
        .containsExactly(
            List.of(box(bytes("a"))),
            List.of(box(new byte[] {'a', 0})),
            List.of(box(bytes("ab"))),
            List.of(box(bytes("a\u007f"))),
            List.of(box(new byte[] {'a', (byte) 0xFF})));
    assertThat(store.scan(new byte[0])).hasSize(7);
    assertThat(store.deletePrefix(bytes("a"))).isEqualTo(5);
    assertThat(store.scan(new byte[0]))
        .extracting(e -> text(e.key()))
        .containsExactly("", "b");
  }

  @Test
  void complexScansSeeOneKeyGroupKeyAndNamespaceInUserKeyOrder() {
    store.put(ComplexKey.of("g", "k", "ns", "b"), bytes("1"));
    store.put(ComplexKey.of("g", "k", "ns", "a2"), bytes("2"));
    store.put(ComplexKey.of("g", "k", "ns", "a1"), bytes("3"));
    store.put(ComplexKey.of("g", "k", "ns", ""), bytes("4"));
    // neighbours that a prefix scan of (g, k, ns) must not see
    store.put(ComplexKey.of("g", "k", "ns2", "a"), bytes("x"));
    store.put(ComplexKey.of("g", "k", "n", "sa"), bytes("x"));
    store.put(ComplexKey.of("g", "kn", "s", "a"), bytes("x"));
    store.put(ComplexKey.of("g", "k\0", "ns", "a"), bytes("x"));
    store.put(ComplexKey.of("gk", "", "ns", "a"), bytes("x"));
    store.put(bytes("gknsa"), bytes("plain"));

    assertThat(store.scan(ComplexKey.of("g", "k", "ns", "")))
        .extracting(e -> e.key().userKeyText() + "=" + text(e.value()))
        .containsExactly("=4", "a1=3", "a2=2", "b=1");
    assertThat(store.scan(ComplexKey.of("g", "k", "ns", "a")))
        .extracting(e -> e.key())
        .containsExactly(ComplexKey.of("g", "k", "ns", "a1"), ComplexKey.of("g", "k", "ns", "a2"));
    assertThat(store.get(ComplexKey.of("g", "k", "ns", "a2"))).isPresent();

    assertThat(store.deletePrefix(ComplexKey.of("g", "k", "ns", "a"))).isEqualTo(2);
    store.delete(ComplexKey.of("g", "k", "ns", "b"));
    assertThat(store.scan(ComplexKey.of("g", "k", "ns", "")))
        .extracting(e -> e.key().userKeyText())
        .containsExactly("");
    assertThat(store.scan(ComplexKey.of("g", "k\0", "ns", ""))).hasSize(1);
    assertThat(store.get(bytes("gknsa"))).isPresent();
  }

  @Test
  void complexKeysOrderByPartsAndKeepZeroBytes() {
    byte[] zeros = {0, 0, 1};
    store.put(ComplexKey.of(zeros, zeros, zeros, zeros), bytes("z"));
    store.put(ComplexKey.of(new byte[] {0}, new byte[0], new byte[0], new byte[0]), bytes("y"));

    assertThat(store.scan(ComplexKey.of(zeros, zeros, zeros, new byte[0])))
        .extracting(e -> e.key())
        .containsExactly(ComplexKey.of(zeros, zeros, zeros, zeros));
  }

  private static Byte[] box(byte[] bytes) {
    Byte[] boxed = new Byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      boxed[i] = bytes[i];
    }
    return boxed;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
