package io.stateweave.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@link TypeName}, {@link Address} and {@link ValueSpec} accept as names. */
class NamesTest {

  @Test
  void typeNameSplitsAtTheLastSlash() {
    TypeName name = TypeName.parse("type.googleapis.com/my.pkg.User");
    TypeName nested = TypeName.parse("com.example/fns/greeter");

    assertThat(name.namespace()).isEqualTo("type.googleapis.com");
    assertThat(name.name()).isEqualTo("my.pkg.User");
    assertThat(nested.namespace()).isEqualTo("com.example/fns");
    assertThat(nested.name()).isEqualTo("greeter");
    assertThat(nested.canonical()).isEqualTo("com.example/fns/greeter");
  }

  @Test
  void typeNamesAreEqualByCanonicalForm() {
    assertThat(TypeName.of("example", "hello"))
        .isEqualTo(TypeName.parse("example/hello"))
        .hasSameHashCodeAs(TypeName.parse("example/hello"))
        .isNotEqualTo(TypeName.parse("example/hello2"));
    assertThat(TypeName.parse("example/hello")).hasToString("example/hello");
  }

  @ParameterizedTest
  @ValueSource(strings = {"greeter", "/x", "ns/", "/", "", "a b/c", "ns/a b", "ns/a\n"})
  void malformedTypeNamesAreRejectedNamingTheInput(String input) {
    assertThatThrownBy(() -> TypeName.parse(input))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + input + "'");
  }

  @Test
  void nullTypeNameIsRejected() {
    assertThatThrownBy(() -> TypeName.parse(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TypeName.of(null, "x")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> TypeName.of("ns", "")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void addressIsItsTypeAndId() {
    Address address = Address.of("example/hello", "user1");

    assertThat(address.type()).isEqualTo(TypeName.parse("example/hello"));
    assertThat(address.id()).isEqualTo("user1");
    assertThat(address)
        .isEqualTo(new Address(TypeName.parse("example/hello"), "user1"))
        .hasSameHashCodeAs(new Address(TypeName.parse("example/hello"), "user1"))
        .isNotEqualTo(Address.of("example/hello", "user2"))
        .isNotEqualTo(Address.of("example/bye", "user1"));
    assertThat(address).hasToString("example/hello/user1");
  }

  @Test
  void addressRejectsAMalformedTypeAndNulls() {
    assertThatThrownBy(() -> Address.of("hello", "user1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'hello'");
    assertThatThrownBy(() -> new Address(null, "user1"))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("type");
    assertThatThrownBy(() -> Address.of("example/hello", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("id");
  }

  @ParameterizedTest
  @ValueSource(strings = {"count", "_seen", "lastSeen2", "SNAKE_case"})
  void stateNamesAreJavaLikeIdentifiers(String name) {
    assertThat(ValueSpec.named(name).withIntType().name()).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "2count", "my-state", "my state", "ns/count", "café"})
  void otherStateNamesAreRejectedNamingTheInput(String name) {
    assertThatThrownBy(() -> ValueSpec.named(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + name + "'");
  }

  @Test
  void nullStateNameIsRejected() {
    assertThatThrownBy(() -> ValueSpec.named(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void valueSpecCarriesTypeAndExpiration() {
    ValueSpec<Integer> plain = ValueSpec.named("count").withIntType();
    ValueSpec<Integer> expiring = plain.thatExpiresAfterInvoke(Duration.ofHours(1));

    assertThat(plain.expiration()).isEqualTo(Expiration.none());
    assertThat(expiring.expiration().mode()).isEqualTo(Expiration.Mode.AFTER_INVOKE);
    assertThat(expiring.expiration().duration()).isEqualTo(Duration.ofHours(1));
    assertThat(expiring.name()).isEqualTo("count");
    assertThat(expiring).isNotEqualTo(plain);
    assertThat(plain).isEqualTo(ValueSpec.named("count").withIntType());
    assertThat(plain).isNotEqualTo(ValueSpec.named("count").withLongType());
  }

  @Test
  void expirationMustBePositive() {
    ValueSpec<Integer> spec = ValueSpec.named("count").withIntType();

    assertThatThrownBy(() -> spec.thatExpiresAfterWrite(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> spec.thatExpiresAfterInvoke(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
