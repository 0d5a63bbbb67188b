package io.stateweave.bench;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.entity.Entities;
import io.stateweave.sdk.entity.EntityType;
import io.stateweave.sdk.types.Types;

/**
 * ycsbt's transactional accounts: {@code transfer} on the debited account (arguments: the credited
 * account and the amount) deposits into the other account and debits its own, or aborts both when
 * its balance is short. Every transaction reads and writes two keys. An account without state holds
 * {@value #INITIAL_BALANCE}, so that no set-up run is needed and a few transfers from the hottest
 * Zipf accounts abort.
 */
final class YcsbtAccounts {
  static final TypeName TYPE = TypeName.parse("bench/ycsbt-account");
  static final long INITIAL_BALANCE = 100;

  static final EntityType<Long> ACCOUNT =
      EntityType.builder(TYPE, Types.LONG)
          .function(
              "deposit",
              (ctx, args) -> {
                long balance = ctx.get().orElse(INITIAL_BALANCE) + args.getLong(0);
                ctx.put(balance);
                return balance;
              })
          .function(
              "transfer",
              (ctx, args) -> {
                long amount = args.getLong(1);
                ctx.callAsync(TYPE, "deposit", args.getString(0), amount).get();
                long balance = ctx.get().orElse(INITIAL_BALANCE);
                if (balance < amount) {
                  throw new IllegalStateException("insufficient funds");
                }
                ctx.put(balance - amount);
                return balance - amount;
              })
          .build();

  static final Entities.Provider PROVIDER = () -> Entities.of(ACCOUNT);

  private YcsbtAccounts() {}
}
