package io.stateweave.examples;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.entity.Entities;
import io.stateweave.sdk.entity.EntityType;
import io.stateweave.sdk.types.Types;

/**
 * A bank as transactional entities, for {@code providers:} of an {@code
 * io.stateweave.entities.v1/java} document: accounts ({@value #ACCOUNT_NAME}) holding a balance
 * in whole units. {@code deposit(amount)} and {@code balance()} act on one account; {@code
 * transfer(to, amount)} credits {@code to} and debits this account in one transaction, and aborts
 * with "insufficient funds" (undoing the credit) when the balance would go negative.
 */
public final class BankEntities implements Entities.Provider {
  private static final long serialVersionUID = 1L;

  public static final String ACCOUNT_NAME = "bank/account";
  public static final TypeName ACCOUNT = TypeName.parse(ACCOUNT_NAME);

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
            // credits first, so that an abort must undo another account's write as well
            .function(
                "transfer",
                (ctx, args) -> {
                  long amount = args.getLong(1);
                  ctx.callAsync(ACCOUNT, "deposit", args.getString(0), amount).get();
                  long balance = ctx.get().orElse(0L);
                  if (balance < amount) {
                    throw new IllegalStateException(
                        "insufficient funds in " + ctx.key() + ": " + balance + " < " + amount);
                  }
                  ctx.put(balance - amount);
                  return balance - amount;
                })
            .build();
    return Entities.of(account);
  }
}
