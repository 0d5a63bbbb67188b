package io.stateweave.sdk.processor;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A key of four parts, as Function Stream's: key group, key, namespace and user key. Parts are
 * bytes of any content (also empty); two keys are equal when every part is.
 */
public final class ComplexKey {
  private final byte[] keyGroup;
  private final byte[] key;
  private final byte[] namespace;
  private final byte[] userKey;

  private ComplexKey(byte[] keyGroup, byte[] key, byte[] namespace, byte[] userKey) {
    this.keyGroup = Objects.requireNonNull(keyGroup, "keyGroup").clone();
    this.key = Objects.requireNonNull(key, "key").clone();
    this.namespace = Objects.requireNonNull(namespace, "namespace").clone();
    this.userKey = Objects.requireNonNull(userKey, "userKey").clone();
  }

  public static ComplexKey of(byte[] keyGroup, byte[] key, byte[] namespace, byte[] userKey) {
    return new ComplexKey(keyGroup, key, namespace, userKey);
  }

  /** The parts as UTF-8. */
  public static ComplexKey of(String keyGroup, String key, String namespace, String userKey) {
    return new ComplexKey(utf8(keyGroup), utf8(key), utf8(namespace), utf8(userKey));
  }

  public byte[] keyGroup() {
    return keyGroup.clone();
  }

  public byte[] key() {
    return key.clone();
  }

  public byte[] namespace() {
    return namespace.clone();
  }

  public byte[] userKey() {
    return userKey.clone();
  }

  /** The user key as UTF-8 text. */
  public String userKeyText() {
    return new String(userKey, StandardCharsets.UTF_8);
  }

  byte[] keyGroupBytes() {
    return keyGroup;
  }

  byte[] keyBytes() {
    return key;
  }

  byte[] namespaceBytes() {
    return namespace;
  }

  byte[] userKeyBytes() {
    return userKey;
  }

  private static byte[] utf8(String text) {
    return Objects.requireNonNull(text).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ComplexKey other
        && Arrays.equals(keyGroup, other.keyGroup)
        && Arrays.equals(key, other.key)
        && Arrays.equals(namespace, other.namespace)
        && Arrays.equals(userKey, other.userKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        Arrays.hashCode(keyGroup),
        Arrays.hashCode(key),
        Arrays.hashCode(namespace),
        Arrays.hashCode(userKey));
  }

  @Override
  public String toString() {
    return "ComplexKey("
        + text(keyGroup)
        + ", "
        + text(key)
        + ", "
        + text(namespace)
        + ", "
        + text(userKey)
        + ")";
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
