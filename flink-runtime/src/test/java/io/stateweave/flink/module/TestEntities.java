package io.stateweave.flink.module;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.entity.Entities;
import io.stateweave.sdk.entity.EntityType;
import io.stateweave.sdk.types.Types;

/** Entity providers that module files name by class, so public with public constructors. */
public final class TestEntities {
  private TestEntities() {}

  /** {@code bank/account} with a {@code balance} function. */
  public static final class Bank implements Entities.Provider {
    private static final long serialVersionUID = 1L;

    @Override
    public Entities entities() {
      return Entities.of(
          EntityType.builder(TypeName.parse("bank/account"), Types.LONG)
              .function("balance", (ctx, args) -> ctx.get().orElse(0L))
              .build());
    }
  }

  /** Not a provider at all. */
  public static final class NotAProvider {}
}
