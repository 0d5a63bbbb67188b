package io.stateweave.flink.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.egress.CollectedEgress;
import io.stateweave.flink.testing.Jobs;
import io.stateweave.flink.translation.StateweaveOptions;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.Context;
import io.stateweave.sdk.Message;
import io.stateweave.sdk.StatefulFunction;
import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.StatefulFunctionsProvider;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.ValueSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a function sees of its state and its delayed messages, on a real job with either state
 * backend. One job per backend runs every scenario side by side (each at its own address, timed
 * with delayed messages to itself) and reports what the function observed on an egress; the tests
 * check those observations. Surviving a failure needs a job of its own.
 */
final class FunctionStateJobTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static final TypeName OBSERVATIONS = TypeName.parse("test/observations");
  static final TypeName COUNTS = TypeName.parse("test/counts");

  private static final List<String> SCENARIOS =
      List.of(
          "absent-set",
          "iso-1",
          "ttl-write",
          "ttl-invoke",
          "delay",
          "cancel",
          "same-due",
          "same-due-cancel",
          "cancel-far",
          "same-due-far");

  /** Where every scenario ends; the run is complete when all of these were observed. */
  private static final List<String> DONE =
      List.of(
          "test/probe/absent-set done",
          "test/probe/iso-2 done",
          "test/other/iso-1 done",
          "test/probe/ttl-write done",
          "test/probe/ttl-invoke done",
          "test/probe/delay done",
          "test/probe/cancel done",
          "test/probe/same-due done",
          "test/probe/same-due-cancel done",
          "test/probe/cancel-far done",
          "test/probe/same-due-far done");

  /** The observations of the scenario job, per state backend; each backend's job runs once. */
  private static final Map<String, List<String>> OBSERVED = new HashMap<>();

  @BeforeEach
  void reset() {
    CollectedEgress.clear();
  }

  @AfterAll
  static void forget() {
    CollectedEgress.clear();
  }

  @ParameterizedTest(name = "state backend {0}")
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void absentAndSetToTheDefaultValueAreToldApart(String backend) throws Exception {
    assertThat(observed(backend, "test/probe/absent-set"))
        .containsExactly(
            "number=absent",
            "text=absent",
            "number-after-set=present:0",
            "text-after-set=present:",
            "number-after-remove=absent",
            "text-after-remove=absent",
            "done");
  }

  @ParameterizedTest(name = "state backend {0}")
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void stateIsIsolatedByIdAndByFunctionType(String backend) throws Exception {
    assertThat(observed(backend, "test/probe/iso-1"))
        .containsExactly(
            "owner-before=absent",
            "owner-after=present:test/probe/iso-1",
            "owner-after=present:test/probe/iso-1");
    // same function type, other id
    assertThat(observed(backend, "test/probe/iso-2"))
        .containsExactly("owner-before=absent", "owner-report=present:test/probe/iso-2", "done");
    // same id and state name, other function type
    assertThat(observed(backend, "test/other/iso-1"))
        .containsExactly("owner-before=absent", "owner-report=present:test/other/iso-1", "done");
  }

  @ParameterizedTest(name = "state backend {0}")
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void afterWriteExpirationRemovesTheValueOnceItsTimeIsUp(String backend) throws Exception {
    assertThat(observed(backend, "test/probe/ttl-write"))
        .containsExactly("written-early=present:w", "written-late=absent", "done");
  }

  @ParameterizedTest(name = "state backend {0}")
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void afterInvokeExpirationIsKeptAliveByInvocationsAlone(String backend) throws Exception {
    assertThat(observed(backend, "test/probe/ttl-invoke"))
        .containsExactly("invoked-kept=present:i", "invoked-late=absent", "done");
  }

  @ParameterizedTest(name = "state backend {0}")
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void aDelayedMessageArrivesNoEarlierThanItsDelay(String backend) throws Exception {
    List<String> observed = observed(backend, "test/probe/delay");
    assertThat(observed).hasSize(2).endsWith("done");
    assertThat(observed.get(0)).startsWith("delayed-after-ms=");
    long elapsed = Long.parseLong(observed.get(0).substring("delayed-after-ms=".length()));
    assertThat(elapsed).isGreaterThanOrEqualTo(1_000);
  }

  @ParameterizedTest(name = "state backend {0}")
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void aCancelledDelayedMessageNeverArrives(String backend) throws Exception {
    assertThat(observed(backend, "test/probe/cancel")).containsExactly("arrived=absent", "done");
  }

  @ParameterizedTest(name = "state backend {0}")
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void aCancelledMessageBeyondTheMemoryHorizonNeverArrives(String backend) throws Exception {
    assertThat(observed(backend, "test/probe/cancel-far"))
        .containsExactly("arrived=absent", "done");
  }

  @ParameterizedTest(name = "state backend {0}")
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void delayedMessagesDueAtTheSameTimeArriveInTheOrderSent(String backend) throws Exception {
    assertThat(observed(backend, "test/probe/same-due"))
        .containsExactly("arrived=present:first,second", "done");
    assertThat(observed(backend, "test/probe/same-due-far"))
        .containsExactly("arrived=present:first,second", "done");
  }

  @ParameterizedTest(name = "state backend {0}")
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void cancellingOneOfTwoMessagesDueAtTheSameTimeLeavesTheOther(String backend) throws Exception {
    assertThat(observed(backend, "test/probe/same-due-cancel"))
        .containsExactly("arrived=present:second", "done");
  }

  /**
   * The counter's ticks wait on the heap (a memory horizon of 1 s), where a checkpoint writes the
   * pending one into keyed state, or in keyed state all along (a horizon of 0).
   */
  @ParameterizedTest(name = "state backend {0}, memory horizon {1}")
  @CsvSource({"hashmap, PT1S", "hashmap, PT0S", "rocksdb, PT1S", "rocksdb, PT0S"})
  void stateSurvivesAFailureAndCountingContinuesExactly(
      String backend, Duration horizon, @InjectMiniCluster MiniCluster cluster) throws Exception {
    Counter.FAIL_NEXT.set(false);
    Counter.FAILURES.set(0);
    Configuration conf = backend(backend);
    conf.set(StateweaveOptions.DELAYED_MESSAGES_MEMORY_HORIZON, horizon);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
    JobClient job = ModuleJobs.start(COUNTER_MODULE, conf, 2);
    List<String> counts;
    try {
      // committed records prove that a checkpoint holding a count of at least 10 completed
      ModuleJobs.awaitTexts(COUNTS, "10 committed counts", texts -> texts.size() >= 10);
      Counter.FAIL_NEXT.set(true);
      counts =
          ModuleJobs.awaitTexts(
              COUNTS, "the final count", texts -> texts.contains("final=" + Counter.TARGET));
      assertThat(Jobs.restoredCheckpoints(cluster, job.getJobID())).isEqualTo(1);
    } finally {
      job.cancel().get();
    }
    assertThat(Counter.FAILURES).hasValue(1);
    List<String> expected =
        IntStream.rangeClosed(1, Counter.TARGET).mapToObj(i -> "count=" + i).toList();
    assertThat(counts.subList(0, counts.size() - 1)).containsExactlyElementsOf(expected);
  }

  private static List<String> observed(String backend, String address) throws Exception {
    List<String> all = OBSERVED.get(backend);
    if (all == null) {
      all = runScenarios(backend);
      OBSERVED.put(backend, all);
    }
    String prefix = address + " ";
    return all.stream()
        .filter(observation -> observation.startsWith(prefix))
        .map(observation -> observation.substring(prefix.length()))
        .toList();
  }

  private static List<String> runScenarios(String backend) throws Exception {
    CollectedEgress.clear();
    Configuration conf = backend(backend);
    // a failure would silently restart the scenarios' clocks: fail the run instead
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    JobClient job = ModuleJobs.start(PROBE_MODULE, conf, 2);
    try {
      return ModuleJobs.awaitTexts(
          OBSERVATIONS, "every scenario to finish", texts -> texts.containsAll(DONE));
    } finally {
      job.cancel().get();
      CollectedEgress.clear();
    }
  }

  private static Configuration backend(String backend) {
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, backend);
    return conf;
  }

  private static final String PROBE_MODULE =
      """
      kind: io.stateweave.functions.v1/java
      spec:
        providers:
          - %s
      ---
      kind: io.stateweave.ingress.v1/generator
      spec:
        id: test/scenarios
        targets: [test/probe]
        records: [%s]
        count: %d
        ratePerSecond: 100
      ---
      kind: io.stateweave.egress.v1/collecting
      spec:
        id: %s
      """
          .formatted(
              Probes.class.getName(),
              String.join(
                  ", ", SCENARIOS.stream().map(id -> "{id: " + id + ", value: start}").toList()),
              SCENARIOS.size(),
              OBSERVATIONS);

  private static final String COUNTER_MODULE =
      """
      kind: io.stateweave.functions.v1/java
      spec:
        functions:
          - {type: test/counter, class: %s}
      ---
      kind: io.stateweave.ingress.v1/generator
      spec:
        id: test/start
        targets: [test/counter]
        records: [{id: c, value: tick}]
        count: 1
      ---
      kind: io.stateweave.egress.v1/collecting
      spec:
        id: %s
      """
          .formatted(Counter.class.getName(), COUNTS);

  /** Binds the probe as two function types, which share state names but not state. */
  public static final class Probes implements StatefulFunctionsProvider {
    @Override
    public StatefulFunctions functions() {
      ValueSpec<?>[] specs = {
        Probe.NUMBER,
        Probe.TEXT,
        Probe.OWNER,
        Probe.WRITTEN,
        Probe.INVOKED,
        Probe.PINGS,
        Probe.SENT_AT,
        Probe.ARRIVED
      };
      return new StatefulFunctions()
          .bind("test/probe", new Probe(), specs)
          .bind("test/other", new Probe(), specs);
    }
  }

  /**
   * Runs the scenario named by its address id, one step per message (the message is the step's
   * name), and reports what it observes as {@code "<address> <label>=<observation>"}.
   */
  public static final class Probe implements StatefulFunction {
    static final ValueSpec<Integer> NUMBER = ValueSpec.named("number").withIntType();
    static final ValueSpec<String> TEXT = ValueSpec.named("text").withStringType();
    static final ValueSpec<String> OWNER = ValueSpec.named("owner").withStringType();
    static final ValueSpec<String> WRITTEN =
        ValueSpec.named("written").withStringType().thatExpiresAfterWrite(Duration.ofMillis(1500));
    static final ValueSpec<String> INVOKED =
        ValueSpec.named("invoked").withStringType().thatExpiresAfterInvoke(Duration.ofMillis(1500));
    static final ValueSpec<Integer> PINGS = ValueSpec.named("pings").withIntType();
    static final ValueSpec<Long> SENT_AT = ValueSpec.named("sent_at").withLongType();
    static final ValueSpec<String> ARRIVED = ValueSpec.named("arrived").withStringType();

    /** Invocations that keep the after-invoke state alive: 7 × 500 ms = 3.5 s, TTL 1.5 s. */
    private static final int PINGS_TO_SEND = 7;

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    /** Beyond the default memory horizon, before {@link #CHECK_AFTER}. */
    private static final Duration FAR = Duration.ofMillis(2500);

    /** Well past the due time of the delayed messages the scenarios cancel or expect. */
    private static final Duration CHECK_AFTER = Duration.ofSeconds(3);

    @Override
    public void invoke(Context context, Message message) {
      String step = message.asString();
      Address self = context.self();
      switch (step) {
        case "start" -> start(context, self.id());
        // absent vs set
        case "after-set" -> {
          observe(context, "number-after-set", NUMBER);
          observe(context, "text-after-set", TEXT);
          context.storage().remove(NUMBER);
          context.storage().remove(TEXT);
          context.send(self, TypedValue.of("after-remove"));
        }
        case "after-remove" -> {
          observe(context, "number-after-remove", NUMBER);
          observe(context, "text-after-remove", TEXT);
          done(context);
        }
        // isolation
        case "iso" -> {
          observe(context, "owner-before", OWNER);
          context.storage().set(OWNER, self.toString());
          context.reply(TypedValue.of("iso-done"));
        }
        case "iso-done" -> {
          observe(context, "owner-after", OWNER);
          context.reply(TypedValue.of("iso-report"));
        }
        case "iso-report" -> {
          observe(context, "owner-report", OWNER);
          done(context);
        }
        // expiration
        case "read-early" -> observe(context, "written-early", WRITTEN);
        case "read-late" -> {
          observe(context, "written-late", WRITTEN);
          done(context);
        }
        case "ping" -> {
          int pings = context.storage().get(PINGS).orElse(0) + 1;
          context.storage().set(PINGS, pings);
          if (pings < PINGS_TO_SEND) {
            context.sendAfter(Duration.ofMillis(500), self, TypedValue.of("ping"));
          } else {
            observe(context, "invoked-kept", INVOKED);
            context.sendAfter(Duration.ofMillis(3500), self, TypedValue.of("invoke-late"));
          }
        }
        case "invoke-late" -> {
          observe(context, "invoked-late", INVOKED);
          done(context);
        }
        // delayed messages
        case "delayed" -> {
          long sentAt = context.storage().get(SENT_AT).orElseThrow();
          report(context, "delayed-after-ms=" + (System.currentTimeMillis() - sentAt));
          done(context);
        }
        case "cancel" -> {
          context.cancelDelayedMessage("token");
          context.sendAfter(CHECK_AFTER, self, TypedValue.of("check"));
        }
        case "check" -> {
          observe(context, "arrived", ARRIVED);
          done(context);
        }
        default -> {
          // any other message is a delayed one whose arrival the scenario checks later
          String arrived = context.storage().get(ARRIVED).map(a -> a + ",").orElse("");
          context.storage().set(ARRIVED, arrived + step);
        }
      }
    }

    private static void start(Context context, String scenario) {
      Address self = context.self();
      switch (scenario) {
        case "absent-set" -> {
          observe(context, "number", NUMBER);
          observe(context, "text", TEXT);
          // the default values of their types: serialized, they are no bytes at all
          context.storage().set(NUMBER, 0);
          context.storage().set(TEXT, "");
          context.send(self, TypedValue.of("after-set"));
        }
        case "iso-1" -> {
          observe(context, "owner-before", OWNER);
          context.storage().set(OWNER, self.toString());
          context.send(Address.of("test/probe", "iso-2"), TypedValue.of("iso"));
          context.send(Address.of("test/other", "iso-1"), TypedValue.of("iso"));
        }
        case "ttl-write" -> {
          context.storage().set(WRITTEN, "w");
          context.sendAfter(Duration.ofMillis(300), self, TypedValue.of("read-early"));
          context.sendAfter(Duration.ofMillis(3500), self, TypedValue.of("read-late"));
        }
        case "ttl-invoke" -> {
          context.storage().set(INVOKED, "i");
          context.sendAfter(Duration.ofMillis(500), self, TypedValue.of("ping"));
        }
        case "delay" -> {
          context.storage().set(SENT_AT, System.currentTimeMillis());
          context.sendAfter(ONE_SECOND, self, TypedValue.of("delayed"));
        }
        case "cancel" -> {
          context.sendAfter(ONE_SECOND, "token", self, TypedValue.of("cancelled"));
          context.sendAfter(Duration.ofMillis(200), self, TypedValue.of("cancel"));
        }
        // Sent within the same millisecond almost always, so due at the same time; should the
        // clock tick in between, the messages are due a millisecond apart and must arrive alike.
        case "same-due" -> {
          context.sendAfter(ONE_SECOND, self, TypedValue.of("first"));
          context.sendAfter(ONE_SECOND, self, TypedValue.of("second"));
          context.sendAfter(CHECK_AFTER, self, TypedValue.of("check"));
        }
        // beyond the memory horizon (1 s): in keyed state until a second before they are due
        case "cancel-far" -> {
          context.sendAfter(FAR, "token", self, TypedValue.of("cancelled"));
          context.sendAfter(Duration.ofMillis(200), self, TypedValue.of("cancel"));
        }
        case "same-due-far" -> {
          context.sendAfter(FAR, self, TypedValue.of("first"));
          context.sendAfter(FAR, self, TypedValue.of("second"));
          context.sendAfter(CHECK_AFTER, self, TypedValue.of("check"));
        }
        case "same-due-cancel" -> {
          context.sendAfter(ONE_SECOND, "a", self, TypedValue.of("first"));
          context.sendAfter(ONE_SECOND, "b", self, TypedValue.of("second"));
          context.cancelDelayedMessage("a");
          context.sendAfter(CHECK_AFTER, self, TypedValue.of("check"));
        }
        default -> throw new IllegalArgumentException("no scenario " + scenario);
      }
    }

    private static void observe(Context context, String label, ValueSpec<?> spec) {
      Optional<?> value = context.storage().get(spec);
      report(context, label + "=" + value.map(v -> "present:" + v).orElse("absent"));
    }

    private static void done(Context context) {
      report(context, "done");
    }

    private static void report(Context context, String observation) {
      context.sendEgress(OBSERVATIONS, TypedValue.of(context.self() + " " + observation));
    }
  }

  /** Counts to {@link #TARGET} in steps of delayed messages; fails once when the test arms it. */
  public static final class Counter implements StatefulFunction {
    static final int TARGET = 40;
    static final ValueSpec<Integer> COUNT = ValueSpec.named("count").withIntType();
    // static: the function is recreated on restart, the flags must survive that
    static final AtomicBoolean FAIL_NEXT = new AtomicBoolean();
    static final AtomicInteger FAILURES = new AtomicInteger();

    @Override
    public void invoke(Context context, Message message) {
      if (FAIL_NEXT.compareAndSet(true, false)) {
        FAILURES.incrementAndGet();
        throw new IllegalStateException("injected failure");
      }
      int count = context.storage().get(COUNT).orElse(0) + 1;
      context.storage().set(COUNT, count);
      context.sendEgress(COUNTS, TypedValue.of("count=" + count));
      if (count < TARGET) {
        context.sendAfter(Duration.ofMillis(50), context.self(), TypedValue.of("tick"));
      } else {
        context.sendEgress(
            COUNTS, TypedValue.of("final=" + context.storage().get(COUNT).orElseThrow()));
      }
    }
  }
}
