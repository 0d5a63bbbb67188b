package io.stateweave.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * When a state value expires: never, some time after it was last written, or after the last
 * invocation.
 */
public final class Expiration {
  public enum Mode {
    NONE,
    AFTER_WRITE,
    AFTER_INVOKE
  }

  private static final Expiration NONE = new Expiration(Mode.NONE, Duration.ZERO);

  private final Mode mode;
  private final Duration duration;

  private Expiration(Mode mode, Duration duration) {
    this.mode = mode;
    this.duration = duration;
  }

  public static Expiration none() {
    return NONE;
  }

  public static Expiration afterWrite(Duration duration) {
    return new Expiration(Mode.AFTER_WRITE, positive(duration));
  }

  /** Expires when the function was not invoked for this address for {@code duration}. */
  public static Expiration afterInvoke(Duration duration) {
    return new Expiration(Mode.AFTER_INVOKE, positive(duration));
  }

  private static Duration positive(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException("An expiration must be positive, got " + duration);
    }
    return duration;
  }

  public Mode mode() {
    return mode;
  }

  public Duration duration() {
    return duration;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Expiration)) {
      return false;
    }
    Expiration other = (Expiration) o;
    return mode == other.mode && duration.equals(other.duration);
  }

  @Override
  public int hashCode() {
    return 31 * mode.hashCode() + duration.hashCode();
  }

  @Override
  public String toString() {
    return mode == Mode.NONE ? "never" : mode + " " + duration;
  }
}
