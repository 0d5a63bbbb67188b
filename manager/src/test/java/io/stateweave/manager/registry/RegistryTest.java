package io.stateweave.manager.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.manager.client.ConflictException;
import io.stateweave.manager.client.Settings;
import io.stateweave.manager.registry.StoredDefinition.State;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry keeps definitions durably and lets one writer win each race. */
class RegistryTest {
  private static final Settings SETTINGS =
      Settings.defaults().withParallelism(2).withConfig("a", "b");

  @TempDir Path dir;

  @Test
  void definitionsSavepointsAndHistorySurviveClosingAndReopening() {
    try (Registry registry = Registry.open(dir, Clock.systemUTC())) {
      StoredDefinition created =
          registry.insert("counter", "module", "kind: x", "m.yaml", "/j.jar", SETTINGS);
      assertThat(registry.transition(created, State.RUNNING, "job-1", "job job-1 submitted"))
          .isTrue();
      registry.addSavepoint("counter", "file:/sp/1", "job-1");
    }

    try (Registry reopened = Registry.open(dir, Clock.systemUTC())) {
      StoredDefinition counter = reopened.find("counter").orElseThrow();
      assertThat(counter)
          .extracting(
              StoredDefinition::kind,
              StoredDefinition::source,
              StoredDefinition::sourceName,
              StoredDefinition::jar,
              StoredDefinition::settings,
              StoredDefinition::state,
              StoredDefinition::jobId)
          .containsExactly(
              "module", "kind: x", "m.yaml", "/j.jar", SETTINGS, State.RUNNING, "job-1");
      assertThat(reopened.savepoints("counter"))
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.path()).isEqualTo("file:/sp/1");
                assertThat(s.jobId()).isEqualTo("job-1");
              });
      assertThat(reopened.history("counter"))
          .extracting(change -> change.status() + ": " + change.detail())
          .containsExactly("created: created from m.yaml", "running: job job-1 submitted");
    }
  }

  @Test
  void ofConcurrentInsertsOfOneNameExactlyOneWins() throws Exception {
    int writers = 8;
    try (Registry registry = Registry.open(dir, Clock.systemUTC())) {
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<StoredDefinition>> attempts = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        String source = "source " + i;
        Callable<StoredDefinition> insert =
            () -> {
              go.await();
              return registry.insert("one", "module", source, "m.yaml", "/j.jar", SETTINGS);
            };
        attempts.add(pool.submit(insert));
      }
      go.countDown();
      List<StoredDefinition> won = new ArrayList<>();
      List<Throwable> lost = new ArrayList<>();
      for (Future<StoredDefinition> attempt : attempts) {
        try {
          won.add(attempt.get());
        } catch (java.util.concurrent.ExecutionException e) {
          lost.add(e.getCause());
        }
      }
      pool.shutdown();

      assertThat(won).hasSize(1);
      assertThat(lost)
          .hasSize(writers - 1)
          .allSatisfy(
              e ->
                  assertThat(e)
                      .isInstanceOf(ConflictException.class)
                      .hasMessage("a definition named 'one' exists already"));
      assertThat(registry.find("one").orElseThrow().source()).isEqualTo(won.get(0).source());
    }
  }

  @Test
  void aTransitionFromAStaleReadIsRefused() {
    try (Registry registry = Registry.open(dir, Clock.systemUTC())) {
      StoredDefinition read = registry.insert("x", "module", "s", "m.yaml", "/j.jar", SETTINGS);
      assertThat(registry.transition(read, State.STARTING, "job-1", "first")).isTrue();

      assertThat(registry.transition(read, State.STARTING, "job-2", "second")).isFalse();
      assertThat(registry.find("x").orElseThrow().jobId()).isEqualTo("job-1");
    }
  }
}
