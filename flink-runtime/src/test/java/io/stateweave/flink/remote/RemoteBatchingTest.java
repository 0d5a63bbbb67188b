package io.stateweave.flink.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.message.Envelope;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.types.Types;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
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
  static final Duration PATIENCE = DispatcherHarness.PATIENCE;

  private SdkServer server;

  @BeforeEach
  void start() throws Exception {
    server = SdkServer.start(DispatcherHarness.counter(COUNTER));
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
    try (var harness = DispatcherHarness.open(DispatcherHarness.endpoint(server.urlPathTemplate(), 3), null)) {
      // the first call learns the state (one answer asks for it), the second carries a, held
      harness.processElement(message(COUNTER, "a", "1"));
      DispatcherHarness.awaitMails(harness, () -> server.requests() == 2);
      harness.processElement(message(COUNTER, "a", "2"));
      harness.processElement(message(COUNTER, "a", "3"));
      harness.processElement(message(COUNTER, "a", "4"));
      // three wait behind the call: a full batch; the next input waits until the call ends
      Thread release =
          new Thread(
              () -> {
                sleep(300);
                firstCallHeld.countDown();
              });
      release.start();
      harness.processElement(message(COUNTER, "b", "5"));
      int answeredWhenTaken = answered();
      release.join();
      DispatcherHarness.awaitMails(harness, () -> DispatcherHarness.egress(harness).size() == 5);

      assertThat(answeredWhenTaken).isEqualTo(2);
      assertThat(invocationBatches())
          .containsExactlyInAnyOrder(
              List.of("a 1"), List.of("a 1"), List.of("a 2", "a 3", "a 4"), List.of("b 5"));
      assertThat(DispatcherHarness.egress(harness))
          .containsExactlyInAnyOrder("a 1 n=1", "a 2 n=2", "a 3 n=3", "a 4 n=4", "b 5 n=1")
          .filteredOn(text -> text.startsWith("a"))
          .containsExactly("a 1 n=1", "a 2 n=2", "a 3 n=3", "a 4 n=4");
    }
  }

  @Test
  void aFunctionTypesStatesAreLearnedByOneCallWhileTheOthersWait() throws Exception {
    try (var harness = DispatcherHarness.open(DispatcherHarness.endpoint(server.urlPathTemplate(), 10), null)) {
      for (String id : List.of("a", "b", "c", "d", "e")) {
        harness.processElement(message(COUNTER, id, "x"));
      }
      DispatcherHarness.awaitMails(harness, () -> DispatcherHarness.egress(harness).size() == 5);
      assertThat(
              server.exchanges().stream()
                  .filter(exchange -> exchange.response().hasIncompleteInvocationContext())
                  .count())
          .isEqualTo(1);
      assertThat(DispatcherHarness.egress(harness))
          .containsExactlyInAnyOrder("a x n=1", "b x n=1", "c x n=1", "d x n=1", "e x n=1");
    }
  }

  @Test
  void aCallInFlightAtASnapshotIsMadeAgainAfterTheRestoreAndTakesEffectOnce() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    OperatorSubtaskState snapshot;
    try (var harness = DispatcherHarness.open(DispatcherHarness.endpoint(server.urlPathTemplate(), 10), null)) {
      harness.processElement(message(COUNTER, "a", "1"));
      DispatcherHarness.awaitMails(harness, () -> DispatcherHarness.egress(harness).size() == 1);
      holdCallsWithState(never, 1);
      harness.processElement(message(COUNTER, "a", "2"));
      harness.processElement(message(COUNTER, "a", "3"));
      DispatcherHarness.awaitMails(harness, () -> server.requests() == 3);
      // a 2 is in flight, a 3 waits behind it: both are in the snapshot, neither took effect
      snapshot = DispatcherHarness.snapshot(harness, 1);
      assertThat(DispatcherHarness.egress(harness)).containsExactly("a 1 n=1");
    }
    server.fault((number, request) -> null);
    try (var restored = DispatcherHarness.open(DispatcherHarness.endpoint(server.urlPathTemplate(), 10), snapshot)) {
      DispatcherHarness.awaitMails(restored, () -> DispatcherHarness.egress(restored).size() == 2);
      assertThat(DispatcherHarness.egress(restored)).containsExactly("a 2 n=2", "a 3 n=3");
      // the state was known from the snapshot: no call asked for it
      assertThat(invocationBatches().subList(2, invocationBatches().size()))
          .containsExactly(List.of("a 2"), List.of("a 3"));
    } finally {
      never.countDown();
    }
  }

  private static StreamRecord<Envelope> message(TypeName function, String id, String text) {
    return DispatcherHarness.message(function, id, text);
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
}
