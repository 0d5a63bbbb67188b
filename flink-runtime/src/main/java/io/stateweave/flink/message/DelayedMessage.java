package io.stateweave.flink.message;

import java.util.Objects;

/** A message waiting for its due time, with the token that can cancel it (or null). */
public final class DelayedMessage {
  private final Envelope envelope;
  private final String cancellationToken;

  public DelayedMessage(Envelope envelope, String cancellationToken) {
    this.envelope = Objects.requireNonNull(envelope, "envelope");
    this.cancellationToken = cancellationToken;
  }

  public Envelope envelope() {
    return envelope;
  }

  public String cancellationToken() {
    return cancellationToken;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DelayedMessage
        && envelope.equals(((DelayedMessage) o).envelope)
        && Objects.equals(cancellationToken, ((DelayedMessage) o).cancellationToken);
  }

  @Override
  public int hashCode() {
    return Objects.hash(envelope, cancellationToken);
  }
}
