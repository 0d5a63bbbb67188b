package io.stateweave.manager.client;

import java.util.List;

/**
 * A definition as the manager shows it. {@code status} is one of {@value #CREATED}, {@value
 * #RUNNING}, {@value #FAILING}, {@value #STOPPED}, {@value #FAILED}, read from Flink for a started
 * job; {@code cause} is the root cause of a failing or failed job, else null. {@code history} is
 * oldest first.
 */
public record Definition(
    String name,
    String kind,
    String sourceName,
    String jar,
    Settings settings,
    String status,
    String jobId,
    String cause,
    String lastSavepoint,
    List<StatusChange> history) {
  public static final String CREATED = "created";
  public static final String RUNNING = "running";
  public static final String FAILING = "failing";
  public static final String STOPPED = "stopped";
  public static final String FAILED = "failed";

  public Definition {
    history = history == null ? List.of() : List.copyOf(history);
  }
}
