package io.stateweave.flink.processor;

/** A processor's {@code checkHeartbeat} said false: its task fails and Flink restarts it. */
final class ProcessorHeartbeatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ProcessorHeartbeatException(String message) {
    super(message);
  }
}
