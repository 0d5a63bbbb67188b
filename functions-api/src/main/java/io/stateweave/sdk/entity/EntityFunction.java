package io.stateweave.sdk.entity;

/** One named function of an entity type; its return value is the result of the call. */
@FunctionalInterface
public interface EntityFunction<S> {

  /**
   * Runs the function for {@code context.key()}. Throwing aborts the whole transaction; the
   * returned value must be one {@link Values} carries.
   */
  Object apply(EntityContext<S> context, Args args) throws Exception;
}
