package io.stateweave.bench;

import io.stateweave.sdk.Address;
import io.stateweave.sdk.Context;
import io.stateweave.sdk.Message;
import io.stateweave.sdk.StatefulFunction;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.ValueSpec;
import java.nio.ByteBuffer;

/**
 * ycsbt-plain: the same transfers as plain messages, without a transaction. The debited account
 * checks and lowers its balance and sends a credit to the other account, which adds it; a transfer
 * is done (counted, its latency recorded) when the credit is applied, or when the debit finds the
 * balance short. Balances start at {@link YcsbtAccounts#INITIAL_BALANCE}, as the transactional
 * ones do. The payload: kind (transfer or credit), the other account's index, amount, and the time
 * the transfer was due at the source.
 */
public final class PlainAccountFunction implements StatefulFunction {
  public static final TypeName TYPE = TypeName.parse("bench/plain-account");
  public static final TypeName PAYLOAD = TypeName.parse("bench.types/plain-transfer");
  static final ValueSpec<Long> BALANCE = ValueSpec.named("balance").withLongType();
  private static final byte TRANSFER = 0;
  private static final byte CREDIT = 1;

  @Override
  public void invoke(Context context, Message message) {
    ByteBuffer payload = ByteBuffer.wrap(message.typedValue().bytes());
    byte kind = payload.get(0);
    int other = payload.getInt(1);
    long amount = payload.getLong(5);
    long created = payload.getLong(13);
    long balance = context.storage().get(BALANCE).orElse(YcsbtAccounts.INITIAL_BALANCE);
    if (kind == CREDIT) {
      context.storage().set(BALANCE, balance + amount);
      done(created);
    } else if (balance < amount) {
      Probe.aborted();
      done(created);
    } else {
      context.storage().set(BALANCE, balance - amount);
      context.send(
          new Address(TYPE, Addresses.id(other)), payload(CREDIT, -1, amount, created));
    }
  }

  private static void done(long created) {
    Probe.invoked();
    Probe.chainLatency(created);
  }

  /** The transfer of {@code amount} to account {@code to}, due at the source at {@code created}. */
  static TypedValue transfer(int to, long amount, long created) {
    return payload(TRANSFER, to, amount, created);
  }

  private static TypedValue payload(byte kind, int other, long amount, long created) {
    byte[] bytes = new byte[21];
    ByteBuffer.wrap(bytes).put(0, kind).putInt(1, other).putLong(5, amount).putLong(13, created);
    return TypedValue.ofBytes(PAYLOAD, bytes);
  }
}
