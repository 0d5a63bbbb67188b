package io.stateweave.flink.transaction;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.entity.Entities;
import io.stateweave.sdk.entity.EntityType;
import io.stateweave.sdk.types.Types;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The bank of a module file: accounts as in {@link Bank}, plus {@code crash}, which fails the task
 * the first time it runs (an {@link Error} is not an abort: it escapes the executor) and commits
 * when its transaction runs again after the restore. Public with a public constructor, since a
 * module names it by class.
 */
public final class KafkaBankEntities implements Entities.Provider {
  private static final long serialVersionUID = 1L;

  static final TypeName ACCOUNT = TypeName.parse("bank/account");

  // Static: the provider is rebuilt on restart, the flag must survive that (as in the tests'
  // FailOnceAfterCheckpoint).
  private static final AtomicBoolean CRASHED = new AtomicBoolean();

  static void reset() {
    CRASHED.set(false);
  }

  static boolean crashed() {
    return CRASHED.get();
  }

  /** A failure of the task, not of the transaction. */
  static final class InjectedFailure extends Error {
    private static final long serialVersionUID = 1L;

    InjectedFailure() {
      super("injected failure");
    }
  }

  @Override
  public Entities entities() {
    EntityType<Long> account =
        EntityType.builder(ACCOUNT, Types.LONG)
            .function(
                "deposit",
                (ctx, args) -> {
                  long balance = ctx.get().orElse(0L) + args.getLong(0);
                  ctx.put(balance);
                  return balance;
                })
            .function("balance", (ctx, args) -> ctx.get().orElse(0L))
            .function(
                "transfer",
                (ctx, args) -> {
                  long amount = args.getLong(1);
                  ctx.callAsync(ACCOUNT, "deposit", args.getString(0), amount).get();
                  long balance = ctx.get().orElse(0L);
                  if (balance < amount) {
                    throw new IllegalStateException("insufficient funds in " + ctx.key());
                  }
                  ctx.put(balance - amount);
                  return balance - amount;
                })
            .function(
                "crash",
                (ctx, args) -> {
                  if (CRASHED.compareAndSet(false, true)) {
                    throw new InjectedFailure();
                  }
                  return "recovered";
                })
            .build();
    return Entities.of(account);
  }
}
