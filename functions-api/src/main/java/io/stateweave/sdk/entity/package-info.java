/**
 * Transactional entity functions, after Styx: entity types with named functions, one value of
 * state per (entity type, key), and calls between entities inside one serializable transaction.
 *
 * <pre>{@code
 * EntityType<Long> account = EntityType.builder(TypeName.parse("bank/account"), Types.LONG)
 *     .function("transfer", (ctx, args) -> {
 *       long amount = args.getLong(1);
 *       long balance = ctx.get().orElse(0L);
 *       if (balance < amount) {
 *         throw new IllegalStateException("insufficient funds");
 *       }
 *       ctx.put(balance - amount);
 *       ctx.callAsync(ctx.entityType(), "deposit", args.getString(0), amount).get();
 *       return balance - amount;
 *     })
 *     .function("deposit", (ctx, args) -> {
 *       ctx.put(ctx.get().orElse(0L) + args.getLong(0));
 *       return null;
 *     })
 *     .build();
 * }</pre>
 *
 * <p>A client's {@link io.stateweave.sdk.entity.TransactionRequest} names the root function; its
 * call graph is one transaction: either all its writes become visible or none, and an exception
 * anywhere aborts all of it, the client getting the exception's class and message in the {@link
 * io.stateweave.sdk.entity.TransactionResult}. Functions may be run more than once per transaction
 * (a transaction that lost a conflict runs again), so they must act only through their context.
 *
 * <p>Arguments and results are values {@link io.stateweave.sdk.entity.Values} can carry: null,
 * booleans, ints, longs, doubles, strings, byte arrays and lists of these. {@link
 * io.stateweave.sdk.testing.EntityTestHarness} runs transactions without Flink.
 */
package io.stateweave.sdk.entity;
