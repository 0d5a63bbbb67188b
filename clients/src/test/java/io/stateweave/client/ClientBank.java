package io.stateweave.client;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.entity.Entities;
import io.stateweave.sdk.entity.EntityType;
import io.stateweave.sdk.types.Types;

/** The clients' tests' bank; public with a public constructor, since a module names it. */
public final class ClientBank implements Entities.Provider {
  private static final long serialVersionUID = 1L;

  static final TypeName ACCOUNT = TypeName.parse("bank/account");

  @Override
  public Entities entities() {
    return Entities.of(
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
            .build());
  }

  /** The module of a job answering this bank's transactions on the given topics. */
  static String module(String bootstrapServers, String requests, String responses) {
    return """
        kind: io.stateweave.entities.v1/java
        spec:
          providers: [io.stateweave.client.ClientBank]
        ---
        kind: io.stateweave.transactions.v1/kafka
        spec:
          id: bank/transactions
          address: %s
          requestTopic: %s
          responseTopic: %s
          consumerGroupId: bank
          transactionTimeout: 1min
          epoch: {maxSize: 100, maxDelay: 5ms}
        """
        .formatted(bootstrapServers, requests, responses);
  }
}
