package io.stateweave.bench;

import io.stateweave.flink.ingress.IngressRecord;
import io.stateweave.sdk.entity.TransactionRequest;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * ycsbt's generators: transfer i of {@link Transfers}, as a transaction request or as a plain
 * message, due on the open-loop schedule of {@link Pacer} ({@code perSecond} per source subtask, 0
 * for full speed) and carrying its due time, from which the benchmark measures its latency.
 */
final class YcsbtGenerators {
  private YcsbtGenerators() {}

  /** Transfer i, paced and stamped with its due time; the subclasses say what it becomes. */
  private abstract static class PacedTransfers<T> implements GeneratorFunction<Long, T> {
    private static final long serialVersionUID = 1L;

    private final Transfers transfers;
    private final double perSecond;
    private transient Pacer pacer;

    PacedTransfers(Transfers transfers, double perSecond) {
      if (transfers == null) {
        throw new IllegalArgumentException("no transfers");
      }
      if (perSecond < 0) {
        throw new IllegalArgumentException("negative rate " + perSecond);
      }
      this.transfers = transfers;
      this.perSecond = perSecond;
    }

    @Override
    public final T map(Long i) {
      if (pacer == null) {
        pacer = new Pacer(perSecond);
      }
      return of(i, transfers.of(i), pacer.due());
    }

    abstract T of(long i, Transfers.Transfer transfer, long dueNanos);
  }

  /**
   * Transaction requests. The request id is {@code <i>@<due nanos>}: unique, and the due time comes
   * back with the answer, committed or aborted.
   */
  static final class Requests extends PacedTransfers<TransactionRequest> {
    private static final long serialVersionUID = 1L;

    Requests(Transfers transfers, double perSecond) {
      super(transfers, perSecond);
    }

    @Override
    TransactionRequest of(long i, Transfers.Transfer transfer, long dueNanos) {
      return TransactionRequest.of(
          i + "@" + dueNanos,
          YcsbtAccounts.TYPE,
          "transfer",
          Addresses.id(transfer.from()),
          Addresses.id(transfer.to()),
          transfer.amount());
    }

    /** The due time a request id carries. */
    static long dueNanos(String requestId) {
      return Long.parseLong(requestId, requestId.indexOf('@') + 1, requestId.length(), 10);
    }
  }

  /** The same transfers as plain messages to the debited account. */
  static final class PlainTransfers extends PacedTransfers<IngressRecord> {
    private static final long serialVersionUID = 1L;

    PlainTransfers(Transfers transfers, double perSecond) {
      super(transfers, perSecond);
    }

    @Override
    IngressRecord of(long i, Transfers.Transfer transfer, long dueNanos) {
      return new IngressRecord(
          Generators.INGRESS,
          Addresses.id(transfer.from()),
          PlainAccountFunction.transfer(transfer.to(), transfer.amount(), dueNanos));
    }
  }
}
