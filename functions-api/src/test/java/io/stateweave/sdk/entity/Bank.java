package io.stateweave.sdk.entity;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.types.Types;

/** The bank of the tests: accounts holding a long balance. */
final class Bank {
  static final TypeName ACCOUNT_NAME = TypeName.parse("bank/account");

  static final EntityType<Long> ACCOUNT =
      EntityType.builder(ACCOUNT_NAME, Types.LONG)
          .function(
              "deposit",
              (ctx, args) -> {
                long balance = ctx.get().orElse(0L) + args.getLong(0);
                ctx.put(balance);
                return balance;
              })
          .function("balance", (ctx, args) -> ctx.get().orElse(0L))
          // credits the target first, so that an abort has a write of another key to undo
          .function(
              "transfer",
              (ctx, args) -> {
                long amount = args.getLong(1);
                ctx.callAsync(ACCOUNT_NAME, "deposit", args.getString(0), amount).get();
                long balance = ctx.get().orElse(0L);
                if (balance < amount) {
                  throw new IllegalStateException(
                      "insufficient funds in " + ctx.key() + ": " + balance + " < " + amount);
                }
                ctx.put(balance - amount);
                return balance - amount;
              })
          .build();

  private Bank() {}
}
