package io.stateweave.flink.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.dispatcher.DispatcherSpec;
import io.stateweave.flink.dispatcher.EgressTags;
import io.stateweave.flink.dispatcher.FunctionDispatcherFactory;
import io.stateweave.flink.feedback.FeedbackSinkOperator;
import io.stateweave.flink.message.Envelope;
import io.stateweave.flink.module.HttpEndpointSpec;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.types.Types;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.statefun.sdk.java.StatefulFunctionSpec;
import org.apache.flink.statefun.sdk.java.StatefulFunctions;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The remote functions' batching, one dispatcher in Flink's operator test harness, calling the
 * official Java SDK over HTTP: what goes in which call, when the dispatcher stops taking input, and
 * what a snapshot holds of a call in flight.
 */
final class RemoteBatchingTest {
  static final TypeName COUNTER = TypeName.parse("remote/counter");
  static final TypeName OUT = TypeName.parse("test/out");
  static final Duration PATIENCE = Duration.ofSeconds(30);

  private SdkServer server;

  @BeforeEach
  void start() throws Exception {
    server =
        SdkServer.start(
            new StatefulFunctions()
                .withStatefulFunction(
                    StatefulFunctionSpec.builder(
                            org.apache.flink.statefun.sdk.java.TypeName.typeNameFromString(
                                COUNTER.canonical()))
                        .withValueSpec(RemoteFunctionFaultsTest.Counter.COUNT)
                        .withSupplier(RemoteFunctionFaultsTest.Counter::new)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void messagesDuringACallGoTogetherInTheNextUpToTheBatchLimitAndAFullBatchStopsTheInput()
      throws Exception {
    CountDownLatch firstCallHeld = new CountDownLatch(1);
    holdCallsWithState(firstCallHeld, 1);
    try (var harness = dispatcher(3)) {
      // the first call learns the state (one answer asks for it), the second carries a, held
      harness.processElement(message("a", "1"));
      awaitMails(harness, () -> server.requests() == 2);
      harness.processElement(message("a", "2"));
      harness.processElement(message("a", "3"));
      harness.processElement(message("a", "4"));
      // three wait behind the call: a full batch; the next input waits until the call ends
      Thread release =
          new Thread(
              () -> {
                sleep(300);
                firstCallHeld.countDown();
              });
      release.start();
      harness.processElement(message("b", "5"));
      int answeredWhenTaken = answered();
      release.join();
      awaitMails(harness, () -> egress(harness).size() == 5);

      assertThat(answeredWhenTaken).isEqualTo(2);
      assertThat(invocationBatches())
          .containsExactlyInAnyOrder(
              List.of("a 1"), List.of("a 1"), List.of("a 2", "a 3", "a 4"), List.of("b 5"));
      assertThat(egress(harness))
          .containsExactlyInAnyOrder("a 1 n=1", "a 2 n=2", "a 3 n=3", "a 4 n=4", "b 5 n=1")
          .filteredOn(text -> text.startsWith("a"))
          .containsExactly("a 1 n=1", "a 2 n=2", "a 3 n=3", "a 4 n=4");
    }
  }

  @Test
  void aFunctionTypesStatesAreLearnedByOneCallWhileTheOthersWait() throws Exception {
    try (var harness = dispatcher(10)) {
      for (String id : List.of("a", "b", "c", "d", "e")) {
        harness.processElement(message(id, "x"));
      }
      awaitMails(harness, () -> egress(harness).size() == 5);
      assertThat(
              server.exchanges().stream()
                  .filter(exchange -> exchange.response().hasIncompleteInvocationContext())
                  .count())
          .isEqualTo(1);
      assertThat(egress(harness))
          .containsExactlyInAnyOrder("a x n=1", "b x n=1", "c x n=1", "d x n=1", "e x n=1");
    }
  }

  @Test
  void aCallInFlightAtASnapshotIsMadeAgainAfterTheRestoreAndTakesEffectOnce() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    OperatorSubtaskState snapshot;
    try (var harness = dispatcher(10)) {
      harness.processElement(message("a", "1"));
      awaitMails(harness, () -> egress(harness).size() == 1);
      holdCallsWithState(never, 1);
      harness.processElement(message("a", "2"));
      harness.processElement(message("a", "3"));
      awaitMails(harness, () -> server.requests() == 3);
      // a 2 is in flight, a 3 waits behind it: both are in the snapshot, neither took effect
      snapshot = snapshot(harness, 1);
      assertThat(egress(harness)).containsExactly("a 1 n=1");
    }
    server.fault((number, request) -> null);
    try (var restored = dispatcher(10, snapshot)) {
      awaitMails(restored, () -> egress(restored).size() == 2);
      assertThat(egress(restored)).containsExactly("a 2 n=2", "a 3 n=3");
      // the state was known from the snapshot: no call asked for it
      assertThat(invocationBatches().subList(2, invocationBatches().size()))
          .containsExactly(List.of("a 2"), List.of("a 3"));
    } finally {
      never.countDown();
    }
  }

  // ---- the harness ----

  private KeyedOneInputStreamOperatorTestHarness<String, Envelope, Envelope> dispatcher(
      int maxBatch) throws Exception {
    return dispatcher(maxBatch, null);
  }

  /** The only subtask of a dispatcher whose remote endpoint is the SDK server. */
  private KeyedOneInputStreamOperatorTestHarness<String, Envelope, Envelope> dispatcher(
      int maxBatch, OperatorSubtaskState restoreFrom) throws Exception {
    HttpEndpointSpec endpoint =
        new HttpEndpointSpec(
            "remote/*",
            server.urlPathTemplate(),
            maxBatch,
            HttpEndpointSpec.Timeouts.DEFAULT,
            HttpEndpointSpec.OKHTTP_TRANSPORT,
            Map.of());
    RemoteSpec remote =
        new RemoteSpec(
            List.of(endpoint),
            new RetryPolicy(0, Duration.ZERO, Duration.ZERO, RetryPolicy.OnFailure.FAIL),
            1024,
            null);
    DispatcherSpec spec =
        new DispatcherSpec(List.of(), Set.of(OUT), Duration.ofMinutes(1), remote);
    var harness =
        new KeyedOneInputStreamOperatorTestHarness<String, Envelope, Envelope>(
            new FunctionDispatcherFactory(spec),
            Envelope::targetId,
            BasicTypeInfo.STRING_TYPE_INFO,
            128,
            1,
            0);
    if (restoreFrom != null) {
      harness.initializeState(restoreFrom);
    }
    harness.open();
    return harness;
  }

  /**
   * A checkpoint of the dispatcher: its feedback tail, which has nothing in flight here, passes the
   * barrier first and puts its marker into the loop, as in a job.
   */
  private static OperatorSubtaskState snapshot(
      KeyedOneInputStreamOperatorTestHarness<String, Envelope, Envelope> dispatcher,
      long checkpointId)
      throws Exception {
    MockEnvironment environment =
        new MockEnvironmentBuilder()
            .setJobID(dispatcher.getEnvironment().getJobID())
            .setMaxParallelism(128)
            .setParallelism(1)
            .setSubtaskIndex(0)
            .build();
    try (var tail =
        new KeyedOneInputStreamOperatorTestHarness<String, Envelope, Void>(
            new FeedbackSinkOperator(),
            Envelope::targetId,
            BasicTypeInfo.STRING_TYPE_INFO,
            environment)) {
      tail.open();
      tail.snapshot(checkpointId, checkpointId);
      return dispatcher.snapshot(checkpointId, checkpointId);
    }
  }

  private static StreamRecord<Envelope> message(String id, String text) {
    return new StreamRecord<>(new Envelope(new Address(COUNTER, id), null, TypedValue.of(text)));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void holdCallsWithState(CountDownLatch release, int calls) {
    java.util.concurrent.atomic.AtomicInteger held = new java.util.concurrent.atomic.AtomicInteger();
    server.fault(
        (number, request) -> {
          if (request.getInvocation().getStateCount() > 0 && held.incrementAndGet() <= calls) {
            release.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
          }
          return null;
        });
  }

  private int answered() {
    return server.exchanges().size();
  }

  private List<List<String>> invocationBatches() {
    return server.exchanges().stream()
        .map(
            exchange ->
                exchange.request().getInvocation().getInvocationsList().stream()
                    .map(
                        invocation ->
                            exchange.request().getInvocation().getTarget().getId()
                                + " "
                                + Types.STRING.deserialize(
                                    invocation.getArgument().getValue().toByteArray()))
                    .toList())
        .toList();
  }

  private static List<String> egress(
      KeyedOneInputStreamOperatorTestHarness<String, Envelope, Envelope> harness) {
    return harness.getSideOutput(EgressTags.of(OUT)) == null
        ? List.of()
        : harness.getSideOutput(EgressTags.of(OUT)).stream()
            .map(record -> Types.STRING.deserialize(record.getValue().bytes()))
            .toList();
  }

  /** Runs the task's mails (ended calls) until the condition holds. */
  private static void awaitMails(
      KeyedOneInputStreamOperatorTestHarness<String, Envelope, Envelope> harness,
      BooleanSupplier condition)
      throws Exception {
    TaskMailbox mailbox = harness.getTaskMailbox();
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      Optional<Mail> mail = mailbox.tryTake(TaskMailbox.MIN_PRIORITY);
      if (mail.isPresent()) {
        mail.get().run();
      } else if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + PATIENCE);
      } else {
        Thread.sleep(1);
      }
    }
  }
}
