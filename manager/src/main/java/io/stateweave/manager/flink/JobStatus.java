package io.stateweave.manager.flink;

/**
 * A job as the cluster reports it: Flink's state name ({@code RUNNING}, {@code RESTARTING}, {@code
 * FAILED}, ...) and, when it has failed at least once, the root cause of its latest failure.
 */
public record JobStatus(String state, String rootCause) {
  /** The job ended and will not run again by itself. */
  public boolean terminal() {
    return switch (state) {
      case "FAILED", "CANCELED", "FINISHED" -> true;
      default -> false;
    };
  }
}
