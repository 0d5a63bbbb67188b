package io.stateweave.sdk.entity;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Objects;

/**
 * The answer to a request: committed with the root function's return value, or aborted with the
 * class and message of what a function threw.
 *
 * <p>{@code sequence} is the transaction's position in the serial order the committed state is
 * equivalent to; aborted transactions have one too (the state they saw is that of their position),
 * so replaying every answered request one by one in sequence order gives the same answers.
 *
 * @param value the root function's return value; null when aborted
 * @param errorClass the class name of what was thrown; null when committed
 * @param errorMessage its message; null when committed (or when it had none)
 */
public record TransactionResult(
    String requestId,
    long transactionId,
    long sequence,
    boolean committed,
    Object value,
    String errorClass,
    String errorMessage) {
  public TransactionResult {
    Objects.requireNonNull(requestId, "requestId");
    Values.check(value);
  }

  public static TransactionResult committed(
      String requestId, long transactionId, long sequence, Object value) {
    return new TransactionResult(requestId, transactionId, sequence, true, value, null, null);
  }

  public static TransactionResult aborted(
      String requestId, long transactionId, long sequence, String errorClass, String message) {
    Objects.requireNonNull(errorClass, "errorClass");
    return new TransactionResult(requestId, transactionId, sequence, false, null, errorClass, message);
  }

  /** The same outcome (committed and value, or aborted and error), whatever the ids. */
  public boolean sameOutcome(TransactionResult other) {
    return committed == other.committed
        && Values.deepEquals(value, other.value)
        && Objects.equals(errorClass, other.errorClass)
        && Objects.equals(errorMessage, other.errorMessage);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TransactionResult
        && requestId.equals(((TransactionResult) o).requestId)
        && transactionId == ((TransactionResult) o).transactionId
        && sequence == ((TransactionResult) o).sequence
        && sameOutcome((TransactionResult) o);
  }

  @Override
  public int hashCode() {
    return Objects.hash(requestId, transactionId, sequence, committed);
  }

  @Override
  public String toString() {
    return requestId
        + "#"
        + transactionId
        + "@"
        + sequence
        + (committed ? " committed " + value : " aborted " + errorClass + ": " + errorMessage);
  }

  /** Writes the result in the form clients and the runtime exchange; see {@link #read}. */
  public void write(DataOutput out) throws IOException {
    out.writeUTF(requestId);
    writeWithoutRequestId(out);
  }

  public static TransactionResult read(DataInput in) throws IOException {
    return readWithoutRequestId(in.readUTF(), in);
  }

  /**
   * Writes all but the request id, for a store that keeps the result under it; see {@link
   * #readWithoutRequestId}.
   */
  public void writeWithoutRequestId(DataOutput out) throws IOException {
    out.writeLong(transactionId);
    out.writeLong(sequence);
    out.writeBoolean(committed);
    if (committed) {
      Values.write(out, value);
    } else {
      out.writeUTF(errorClass);
      Values.write(out, errorMessage);
    }
  }

  /** Reads what {@link #writeWithoutRequestId} wrote, as the result of {@code requestId}. */
  public static TransactionResult readWithoutRequestId(String requestId, DataInput in)
      throws IOException {
    long transactionId = in.readLong();
    long sequence = in.readLong();
    if (in.readBoolean()) {
      return committed(requestId, transactionId, sequence, Values.read(in));
    }
    String errorClass = in.readUTF();
    return aborted(requestId, transactionId, sequence, errorClass, (String) Values.read(in));
  }
}
