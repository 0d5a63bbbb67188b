package io.stateweave.manager.registry;

import io.stateweave.manager.client.Settings;

/**
 * A definition's row. {@code state} is what the manager last did with it ({@link State}), not what
 * the cluster reports; {@code jobId} is the Flink job of its latest start. {@code version} grows
 * with every change, for compare-and-set transitions.
 */
public record StoredDefinition(
    String name,
    String kind,
    String source,
    String sourceName,
    String jar,
    Settings settings,
    State state,
    String jobId,
    long version) {

  /** What the manager last did; a transition's target is written before the cluster is asked. */
  public enum State {
    CREATED,
    STARTING,
    RUNNING,
    STOPPING,
    STOPPED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
