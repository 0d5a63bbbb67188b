package io.stateweave.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.stateweave.manager.client.BadRequestException;
import io.stateweave.manager.client.ConflictException;
import io.stateweave.manager.client.Definition;
import io.stateweave.manager.client.DefinitionRequest;
import io.stateweave.manager.client.NotFoundException;
import io.stateweave.manager.client.Savepoint;
import io.stateweave.manager.client.ServerException;
import io.stateweave.manager.client.Settings;
import io.stateweave.manager.client.StateweaveClient;
import io.stateweave.manager.client.UnauthorizedException;
import io.stateweave.testinfra.flink.FlinkCluster;
import io.stateweave.testinfra.flink.JobId;
import io.stateweave.testinfra.kafka.KafkaBrokerExtension;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The manager on a real standalone cluster with a real broker, driven through its Java client: a
 * counting module fed by Kafka is created, started, shown running, stopped with a savepoint; more
 * events arrive while it is stopped; the manager process is restarted and still knows every
 * definition; the module starts again from its savepoint and a read_committed consumer sees each
 * key's counts 1..n exactly once; it is dropped while running. Each error class is provoked once,
 * with its message: a bad module (400), an unknown name (404), a duplicate (409), a job the cluster
 * refuses (500), and a request without the token (401).
 */
class ManagerE2ETest {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String TOKEN = "e2e-secret";
  private static final int KEYS = 20;
  private static final int EVENTS_BEFORE_STOP = 400;
  private static final int EVENTS_WHILE_STOPPED = 200;
  private static final Pattern LISTENING = Pattern.compile("stateweave manager on (\\S+)");

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private final CountedEvents events = new CountedEvents(KAFKA, KEYS);
  private final List<Process> managers = new ArrayList<>();

  @AfterEach
  void stopManagers() {
    managers.forEach(Process::destroyForcibly);
  }

  @Test
  void aModuleLivesThroughCreateStartStopAManagerRestartAStartAgainAndDrop() throws Exception {
    KAFKA.createTopic(CountedEvents.EVENTS, 2);
    KAFKA.createTopic(CountedEvents.COUNTS, 2);
    Path workDir = CountedEvents.newWorkDir();
    Path dataDir = workDir.resolve("manager");
    try (FlinkCluster cluster = FlinkCluster.start(workDir.resolve("cluster"), 1, 2, Map.of())) {
      URI first = startManager(cluster, dataDir, workDir, 1);
      StateweaveClient manager = StateweaveClient.connect(first, TOKEN);

      assertThatThrownBy(() -> StateweaveClient.connect(first).show(null))
          .isInstanceOf(UnauthorizedException.class)
          .hasMessage("a bearer token is required");

      Definition created = manager.create(counter("counter"));
      assertThat(created.status()).isEqualTo(Definition.CREATED);

      assertThatThrownBy(
              () ->
                  manager.create(
                      DefinitionRequest.module(
                              "broken",
                              module(KAFKA.bootstrapServers())
                                  .replace(
                                      "startupPosition: {type: earliest}",
                                      "startupPosition: {type: soon}"))
                          .withSourceName("broken.yaml")))
          .isInstanceOf(BadRequestException.class)
          .hasMessageStartingWith("broken.yaml: document 2 (io.statefun.kafka.v1/ingress)")
          .hasMessageContaining("field 'spec.startupPosition.type'");
      assertThatThrownBy(() -> manager.create(counter("counter")))
          .isInstanceOf(ConflictException.class)
          .hasMessage("a definition named 'counter' exists already");
      assertThatThrownBy(() -> manager.start("no-such-module"))
          .isInstanceOf(NotFoundException.class)
          .hasMessage("no definition named 'no-such-module'");
      // valid for the manager, refused by the job's main on the JobManager
      manager.create(
          counter("unaligned")
              .withSettings(
                  settings().withConfig("execution.checkpointing.unaligned.enabled", "true")));
      assertThatThrownBy(() -> manager.start("unaligned"))
          .isInstanceOf(ServerException.class)
          .hasMessageStartingWith("the cluster refused to start 'unaligned': ")
          .hasMessageContaining(
              "Stateweave's feedback loop needs aligned checkpoints, but"
                  + " execution.checkpointing.unaligned.enabled is true");

      Definition started = manager.start("counter");
      JobId job = new JobId(started.jobId());
      cluster.awaitTasksRunning(job, TIMEOUT);
      assertThat(manager.show("count*"))
          .singleElement()
          .satisfies(d -> assertThat(d.status()).isEqualTo(Definition.RUNNING));
      assertThatThrownBy(() -> manager.start("counter"))
          .isInstanceOf(ConflictException.class)
          .hasMessage("'counter' is running already, as job " + started.jobId());

      events.produce(0, EVENTS_BEFORE_STOP, 0);
      await("the counts before the stop", () -> events.counts().size() >= EVENTS_BEFORE_STOP);
      Savepoint savepoint = manager.stop("counter");
      assertThat(Path.of(URI.create(savepoint.path()))).isDirectory();
      assertThat(manager.get("counter").status()).isEqualTo(Definition.STOPPED);
      events.produce(EVENTS_BEFORE_STOP, EVENTS_WHILE_STOPPED, 0);

      // a new manager process on the same data directory knows everything the first one did
      managers.get(0).destroy();
      assertThat(managers.get(0).waitFor(30, TimeUnit.SECONDS)).isTrue();
      StateweaveClient restarted =
          StateweaveClient.connect(startManager(cluster, dataDir, workDir, 2), TOKEN);
      assertThat(restarted.show(null))
          .extracting(Definition::name, Definition::status, Definition::lastSavepoint)
          .containsExactly(
              tuple("counter", Definition.STOPPED, savepoint.path()),
              tuple("unaligned", Definition.CREATED, null));
      assertThat(restarted.savepoints("counter")).containsExactly(savepoint);

      Definition resumed = restarted.start("counter");
      assertThat(resumed.history())
          .last()
          .satisfies(
              change -> assertThat(change.detail()).endsWith("from savepoint " + savepoint.path()));
      cluster.awaitTasksRunning(new JobId(resumed.jobId()), TIMEOUT);
      int total = EVENTS_BEFORE_STOP + EVENTS_WHILE_STOPPED;
      await("the counts after starting again", () -> events.counts().size() >= total);
      Thread.sleep(2_000); // duplicates, if any, have time to show

      assertThat(restarted.drop("counter")).isPresent();
      assertThat(cluster.jobStatus(new JobId(resumed.jobId()))).isEqualTo("FINISHED");
      assertThat(restarted.drop("unaligned")).isEmpty();
      assertThat(restarted.show("*")).isEmpty();
    }
    events.assertExactlyOnce(EVENTS_BEFORE_STOP + EVENTS_WHILE_STOPPED);
  }

  private DefinitionRequest counter(String name) {
    return DefinitionRequest.module(name, module(KAFKA.bootstrapServers()))
        .withSourceName(name + ".yaml")
        .withSettings(settings());
  }

  private static Settings settings() {
    return Settings.defaults()
        .withParallelism(2)
        .withConfig("execution.checkpointing.interval", "1s");
  }

  /** Starts the manager's JVM, as {@code stateweave serve} does, and waits until it listens. */
  private URI startManager(FlinkCluster cluster, Path dataDir, Path workDir, int run)
      throws IOException, InterruptedException {
    Path log = workDir.resolve("manager-" + run + ".log");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.stateweave.manager.cli.StateweaveCli",
                "serve",
                "--port",
                "0",
                "--data-dir",
                dataDir.toString(),
                "--flink-conf",
                cluster.workDir().resolve("conf").toString(),
                "--job-jar",
                CountedEvents.jobJar().toString(),
                "--token",
                TOKEN)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    managers.add(process);
    String[] url = {null};
    await(
        "the manager to listen (log: " + log + ")",
        () -> {
          Matcher matcher = LISTENING.matcher(read(log));
          if (matcher.find()) {
            url[0] = matcher.group(1);
            return true;
          }
          assertThat(process.isAlive()).as("the manager is alive; its log:\n" + read(log)).isTrue();
          return false;
        });
    return URI.create(url[0]);
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static String module(String bootstrap) {
    return """
           kind: io.stateweave.functions.v1/java
           spec:
             providers: [io.stateweave.examples.Examples]
           ---
           kind: io.statefun.kafka.v1/ingress
           spec:
             id: e2e/events
             address: %1$s
             consumerGroupId: e2e-counter
             startupPosition: {type: earliest}
             topics:
               - topic: events
                 valueType: io.statefun.types/string
                 targets: [example/counter]
           ---
           kind: io.statefun.kafka.v1/egress
           spec:
             id: example/counts
             address: %1$s
             defaultTopic: counts
             deliverySemantic: {type: exactly-once, transactionTimeout: 2min}
           """
        .formatted(bootstrap);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    CountedEvents.await(what, TIMEOUT, condition);
  }
}
