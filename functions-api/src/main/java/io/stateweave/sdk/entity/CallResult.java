package io.stateweave.sdk.entity;

/** The answer of a call made with {@link EntityContext#callAsync}. */
public interface CallResult {

  /**
   * The called function's return value. Throws {@link CallFailedException} when it threw: the
   * transaction aborts then, whether or not the caller catches it.
   */
  Object get();

  /** {@link #get()} as a long; fails when the value is not an integral number. */
  default long getLong() {
    return Args.asLong(get(), "call result");
  }
}
