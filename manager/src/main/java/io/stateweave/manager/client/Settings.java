package io.stateweave.manager.client;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a definition runs: its parallelism (the cluster's default when null), Flink options for the
 * job ({@code -Dkey=value} of {@code flink run}), where its savepoints go (the cluster's {@code
 * execution.checkpointing.savepoint-dir} when null) and the job jar's main class (the manager's
 * default when null).
 */
public record Settings(
    Integer parallelism, Map<String, String> config, String savepointDirectory, String entryClass) {

  public Settings {
    config = config == null ? Map.of() : Map.copyOf(config);
  }

  public static Settings defaults() {
    return new Settings(null, Map.of(), null, null);
  }

  public Settings withParallelism(int value) {
    return new Settings(value, config, savepointDirectory, entryClass);
  }

  public Settings withConfig(String key, String value) {
    Map<String, String> more = new LinkedHashMap<>(config);
    more.put(key, value);
    return new Settings(parallelism, more, savepointDirectory, entryClass);
  }

  public Settings withSavepointDirectory(String value) {
    return new Settings(parallelism, config, value, entryClass);
  }

  public Settings withEntryClass(String value) {
    return new Settings(parallelism, config, savepointDirectory, value);
  }
}
