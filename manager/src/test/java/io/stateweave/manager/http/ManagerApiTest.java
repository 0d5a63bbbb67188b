package io.stateweave.manager.http;

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
import io.stateweave.manager.client.StatusChange;
import io.stateweave.manager.client.UnauthorizedException;
import io.stateweave.manager.flink.FakeFlink;
import io.stateweave.sdk.processor.Processor;
import io.stateweave.sdk.processor.ProcessorContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manager's API through its Java client, against a fake Flink REST API. */
class ManagerApiTest {
  private static final String TOKEN = "s3cret";
  private static final String MODULE =
      """
      kind: io.statefun.endpoints.v2/http
      spec:
        functions: example/*
        urlPathTemplate: http://127.0.0.1:8000/{function.name}
      ---
      kind: io.stateweave.egress.v1/stdout
      spec:
        id: example/out
      """;

  // A module of processor tasks only: the module kind takes them, validated by the job's loader.
  private static final String TASK =
      """
      kind: io.stateweave.processor.v1/task
      spec:
        name: metrics
        class: io.stateweave.manager.http.ManagerApiTest$Totals
        initConfig: {metric_name: user_click}
        inputs:
          - {servers: 127.0.0.1:9092, topic: raw-data, groupId: fs-group}
        outputs:
          - {servers: 127.0.0.1:9092, topic: clean-data}
      """;

  /** {@link #TASK}'s processor: public, as the loader requires; found on the test classpath. */
  public static final class Totals implements Processor {
    @Override
    public void process(ProcessorContext ctx, int sourceId, byte[] data) {}
  }

  @TempDir Path dir;
  private FakeFlink flink;
  private TestManager manager;
  private StateweaveClient client;

  @BeforeEach
  void start() throws Exception {
    flink = FakeFlink.start();
    manager = TestManager.start(dir, flink, TOKEN);
    client = manager.client();
  }

  @AfterEach
  void stop() {
    manager.close();
    flink.close();
  }

  @Test
  void withATokenSetARequestWithoutItOrWithAnotherIsRefusedWith401() {
    assertThatThrownBy(() -> StateweaveClient.connect(manager.uri()).show(null))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessage("a bearer token is required");
    assertThatThrownBy(() -> StateweaveClient.connect(manager.uri(), "guess").show(null))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessage("the bearer token is not valid");
    assertThat(client.show(null)).isEmpty();
  }

  @Test
  void aBadModuleIsRefusedWith400NamingFileDocumentAndFieldAndIsNotRegistered() {
    String bad = MODULE.replace("functions: example/*", "functions: [example/*]");

    assertThatThrownBy(
            () -> client.create(DefinitionRequest.module("m", bad).withSourceName("m.yaml")))
        .isInstanceOf(BadRequestException.class)
        .hasMessageStartingWith(
            "m.yaml: document 1 (io.statefun.endpoints.v2/http): field 'spec.functions'");
    assertThatThrownBy(() -> client.create(DefinitionRequest.module("m", "kind: [unclosed")))
        .isInstanceOf(BadRequestException.class)
        .hasMessageStartingWith("module.yaml: line 1, column 16: invalid YAML");
    assertThatThrownBy(() -> client.create(DefinitionRequest.module("no spaces", MODULE)))
        .isInstanceOf(BadRequestException.class)
        .hasMessageStartingWith("field 'name': expected 1-64 letters");
    assertThatThrownBy(
            () ->
                client.create(
                    DefinitionRequest.module("m", MODULE)
                        .withSettings(Settings.defaults().withParallelism(0))))
        .isInstanceOf(BadRequestException.class)
        .hasMessage("field 'settings.parallelism': expected at least 1, got 0");
    assertThatThrownBy(
            () -> client.create(new DefinitionRequest("m", "task", "x", null, null, null)))
        .isInstanceOf(BadRequestException.class)
        .hasMessage("field 'kind': expected one of [module], got task");
    assertThat(client.show(null)).isEmpty();
  }

  @Test
  void aModuleOfProcessorTasksIsAModuleDefinitionAndAMistakeInATaskIs400NamingItsField() {
    String noTopic = TASK.replace("topic: raw-data, ", "");
    String noClass = TASK.replace("ManagerApiTest$Totals", "ManagerApiTest$Missing");

    assertThatThrownBy(
            () -> client.create(DefinitionRequest.module("m", noTopic).withSourceName("m.yaml")))
        .isInstanceOf(BadRequestException.class)
        .hasMessage(
            "m.yaml: document 1 (io.stateweave.processor.v1/task): field 'spec.inputs[0].topic':"
                + " expected a topic name, got nothing");
    assertThatThrownBy(
            () -> client.create(DefinitionRequest.module("m", noClass).withSourceName("m.yaml")))
        .isInstanceOf(BadRequestException.class)
        .hasMessageStartingWith(
            "m.yaml: document 1 (io.stateweave.processor.v1/task): field 'spec.class':"
                + " expected a Processor class on the classpath");
    assertThat(client.show(null)).isEmpty();

    Definition created = client.create(DefinitionRequest.module("metrics", TASK));
    assertThat(created.kind()).isEqualTo(DefinitionRequest.MODULE);
    assertThat(created.status()).isEqualTo(Definition.CREATED);
    client.start("metrics");
    List<String> args = new ArrayList<>();
    flink.runs().get(0).path("programArgsList").forEach(a -> args.add(a.asText()));
    assertThat(args)
        .containsExactly(
            "--module",
            dir.resolve("sources/metrics.yaml").toAbsolutePath().toString(),
            "--job-name",
            "metrics");
  }

  @Test
  void anUnknownNameOrSavepointIs404() {
    client.create(DefinitionRequest.module("known", MODULE));

    for (Runnable call :
        List.<Runnable>of(
            () -> client.start("unknown"),
            () -> client.stop("unknown"),
            () -> client.drop("unknown"),
            () -> client.savepoints("unknown"),
            () -> client.restart("unknown"),
            () -> client.show("unknown"))) {
      assertThatThrownBy(call::run)
          .isInstanceOf(NotFoundException.class)
          .hasMessage("no definition named 'unknown'");
    }
    assertThat(client.show("unknown*")).isEmpty();
    assertThatThrownBy(() -> client.start("known", "file:/elsewhere"))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("'known' has no savepoint file:/elsewhere (see: savepoints known)");
  }

  @Test
  void aTakenNameOrARunningJobIs409() {
    client.create(DefinitionRequest.module("m", MODULE));
    assertThatThrownBy(() -> client.create(DefinitionRequest.module("m", MODULE)))
        .isInstanceOf(ConflictException.class)
        .hasMessage("a definition named 'm' exists already");
    assertThatThrownBy(() -> client.stop("m"))
        .isInstanceOf(ConflictException.class)
        .hasMessage("'m' is not running (created)");

    Definition started = client.start("m");
    assertThatThrownBy(() -> client.start("m"))
        .isInstanceOf(ConflictException.class)
        .hasMessage("'m' is running already, as job " + started.jobId());
  }

  @Test
  void ofConcurrentCreatesOfOneNameExactlyOneWins() throws Exception {
    int clients = 6;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Definition>> attempts = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      attempts.add(
          pool.submit(
              () -> {
                go.await();
                return client.create(DefinitionRequest.module("one", MODULE));
              }));
    }
    go.countDown();
    int won = 0;
    List<Throwable> lost = new ArrayList<>();
    for (Future<Definition> attempt : attempts) {
      try {
        attempt.get();
        won++;
      } catch (ExecutionException e) {
        lost.add(e.getCause());
      }
    }
    pool.shutdown();

    assertThat(won).isEqualTo(1);
    assertThat(lost)
        .hasSize(clients - 1)
        .allSatisfy(e -> assertThat(e).isInstanceOf(ConflictException.class));
    assertThat(client.show(null)).hasSize(1);
  }

  @Test
  void aJobTheClusterRefusesIs500WithFlinksMessageAndLeavesTheDefinitionAsItWas() {
    client.create(DefinitionRequest.module("m", MODULE));
    flink.refuseRuns("the module's loop needs aligned checkpoints");

    assertThatThrownBy(() -> client.start("m"))
        .isInstanceOf(ServerException.class)
        .hasMessage(
            "the cluster refused to start 'm': java.util.concurrent.CompletionException:"
                + " org.apache.flink.util.FlinkRuntimeException: Could not execute application.;"
                + " org.apache.flink.client.program.ProgramInvocationException: The main method"
                + " caused an error: the module's loop needs aligned checkpoints");
    Definition m = client.get("m");
    assertThat(m.status()).isEqualTo(Definition.CREATED);
    assertThat(m.history()).last().extracting(StatusChange::status).isEqualTo("created");
  }

  @Test
  void startUploadsTheJarOnceAndPassesTheModuleSettingsAndLatestSavepoint() {
    Settings settings =
        Settings.defaults().withParallelism(3).withConfig("state.backend.type", "rocksdb");
    client.create(DefinitionRequest.module("m", MODULE).withSettings(settings));

    Definition first = client.start("m");
    assertThat(first.status()).isEqualTo(Definition.RUNNING);
    Savepoint savepoint = client.stop("m");
    assertThat(client.get("m"))
        .extracting(Definition::status, Definition::lastSavepoint)
        .containsExactly(Definition.STOPPED, savepoint.path());
    Definition second = client.start("m");

    assertThat(flink.uploads()).isEqualTo(1);
    assertThat(flink.runs()).hasSize(2);
    var run = flink.runs().get(1);
    assertThat(run.path("entryClass").asText()).isEqualTo("io.stateweave.jobs.JobManagerEntry");
    assertThat(run.path("parallelism").asInt()).isEqualTo(3);
    assertThat(run.path("savepointPath").asText()).isEqualTo(savepoint.path());
    assertThat(run.path("jobId").asText()).isEqualTo(second.jobId()).isNotEqualTo(first.jobId());
    List<String> args = new ArrayList<>();
    run.path("programArgsList").forEach(a -> args.add(a.asText()));
    assertThat(args)
        .containsExactly(
            "--module",
            dir.resolve("sources/m.yaml").toAbsolutePath().toString(),
            "--job-name",
            "m",
            "-Dstate.backend.type=rocksdb");
    assertThat(flink.runs().get(0).has("savepointPath")).isFalse();
  }

  @Test
  void aJarTheClusterForgotIsUploadedAgain() {
    client.create(DefinitionRequest.module("m", MODULE));
    client.start("m");
    client.stop("m");
    flink.forgetEverything();

    client.start("m");

    assertThat(flink.uploads()).isEqualTo(2);
  }

  @Test
  void startFromANamedSavepointOfTheDefinition() {
    client.create(DefinitionRequest.module("m", MODULE));
    client.start("m");
    Savepoint older = client.stop("m");
    client.start("m");
    Savepoint newer = client.stop("m");
    assertThat(client.savepoints("m")).containsExactly(newer, older);

    client.start("m", older.path());

    assertThat(flink.runs().get(2).path("savepointPath").asText()).isEqualTo(older.path());
  }

  @Test
  void showReadsTheStatusFromTheClusterWithTheRootCauseOfAFailure() {
    client.create(DefinitionRequest.module("a-created", MODULE));
    client.create(DefinitionRequest.module("b-failed", MODULE));
    client.create(DefinitionRequest.module("c-running", MODULE));
    String failed = client.start("b-failed").jobId();
    client.start("c-running");
    flink.fail(failed, "java.net.ConnectException: Connection refused");

    assertThat(client.show(null))
        .extracting(Definition::name, Definition::status, Definition::cause)
        .containsExactly(
            tuple("a-created", Definition.CREATED, null),
            tuple("b-failed", Definition.FAILED, "java.net.ConnectException: Connection refused"),
            tuple("c-running", Definition.RUNNING, null));
    assertThat(client.show("b-*")).extracting(Definition::name).containsExactly("b-failed");
    assertThat(client.get("b-failed").history())
        .extracting(StatusChange::status)
        .containsExactly("created", "starting", "running", "failed");
  }

  @Test
  void dropStopsARunningJobWithASavepointFirst() {
    client.create(DefinitionRequest.module("m", MODULE));
    String job = client.start("m").jobId();

    Savepoint savepoint = client.drop("m").orElseThrow();

    assertThat(savepoint.jobId()).isEqualTo(job);
    assertThat(flink.state(job)).isEqualTo("FINISHED");
    assertThat(client.show(null)).isEmpty();
    client.create(DefinitionRequest.module("m", MODULE));
    assertThat(client.savepoints("m")).as("a new definition of the name starts afresh").isEmpty();
  }

  @Test
  void restartStopsWithASavepointAndStartsFromIt() {
    client.create(DefinitionRequest.module("m", MODULE));
    String first = client.start("m").jobId();

    Definition restarted = client.restart("m");

    assertThat(flink.state(first)).isEqualTo("FINISHED");
    assertThat(restarted.jobId()).isNotEqualTo(first);
    assertThat(flink.runs().get(1).path("savepointPath").asText())
        .isEqualTo(client.savepoints("m").get(0).path());
  }

  @Test
  void aRestartedManagerKeepsEveryDefinitionWithItsSavepointsAndHistory() {
    client.create(DefinitionRequest.module("created", MODULE));
    client.create(DefinitionRequest.module("running", MODULE));
    client.create(DefinitionRequest.module("stopped", MODULE));
    client.start("running");
    client.start("stopped");
    Savepoint savepoint = client.stop("stopped");
    List<Definition> before = client.show(null);

    manager.restart();
    StateweaveClient after = manager.client();

    assertThat(after.show(null)).usingRecursiveComparison().isEqualTo(before);
    assertThat(after.show(null))
        .extracting(Definition::status)
        .containsExactly(Definition.CREATED, Definition.RUNNING, Definition.STOPPED);
    assertThat(after.savepoints("stopped")).containsExactly(savepoint);
    assertThat(after.start("stopped").jobId()).isNotNull();
    assertThat(flink.runs())
        .last()
        .satisfies(
            run -> assertThat(run.path("savepointPath").asText()).isEqualTo(savepoint.path()));
  }
}
