package io.stateweave.flink.transaction;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.entity.Entities;
import io.stateweave.sdk.entity.EntityType;
import io.stateweave.sdk.entity.TransactionRequest;
import io.stateweave.sdk.types.Types;

/** The bank of the tests: accounts holding a long balance, and transfers between them. */
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
          // credits the target first, so that an abort has another key's write to undo
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
          // the bank's money: every account's balance, from any account's key
          .function(
              "total",
              (ctx, args) -> {
                long total = 0;
                for (long balance : ctx.scan(Bank.ACCOUNT).values()) {
                  total += balance;
                }
                return total;
              })
          .build();

  /** Builds the bank where the job runs. */
  static final Entities.Provider PROVIDER = () -> Entities.of(ACCOUNT);

  private Bank() {}

  static TransactionRequest deposit(String requestId, String account, long amount) {
    return TransactionRequest.of(requestId, ACCOUNT_NAME, "deposit", account, amount);
  }

  static TransactionRequest transfer(String requestId, String from, String to, long amount) {
    return TransactionRequest.of(requestId, ACCOUNT_NAME, "transfer", from, to, amount);
  }

  static TransactionRequest total(String requestId) {
    return TransactionRequest.of(requestId, ACCOUNT_NAME, "total", "audit");
  }

  static TransactionRequest balance(String requestId, String account) {
    return TransactionRequest.of(requestId, ACCOUNT_NAME, "balance", account);
  }
}
