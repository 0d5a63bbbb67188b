package io.stateweave.flink.remote;

import io.stateweave.flink.dispatcher.DispatcherSpec;
import io.stateweave.flink.dispatcher.EgressTags;
import io.stateweave.flink.dispatcher.FunctionDispatcherFactory;
import io.stateweave.flink.message.Envelope;
import io.stateweave.flink.module.HttpEndpointSpec;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.types.Types;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * One dispatcher subtask in Flink's operator test harness, with remote functions behind one
 * endpoint and string records collected from the egress {@link #OUT}: what a remote function's
 * calls do, without a MiniCluster.
 */
final class DispatcherHarness {
  static final TypeName OUT = TypeName.parse("test/out");
  static final Duration PATIENCE = Duration.ofSeconds(30);

  private DispatcherHarness() {}

  /** The only subtask of a dispatcher calling {@code endpoint}; gives up after one attempt. */
  static KeyedOneInputStreamOperatorTestHarness<String, Envelope, Envelope> open(
      HttpEndpointSpec endpoint, OperatorSubtaskState restoreFrom) throws Exception {
    RemoteSpec remote =
        new RemoteSpec(
            List.of(endpoint),
            new RetryPolicy(0, Duration.ZERO, Duration.ZERO, RetryPolicy.OnFailure.FAIL),
            32768,
            null);
    DispatcherSpec spec =
        new DispatcherSpec(List.of(), Set.of(OUT), remote);
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

  /** An endpoint of StateFun's default transport serving every {@code remote/*} function. */
  static HttpEndpointSpec endpoint(String urlPathTemplate, int maxBatch) {
    return new HttpEndpointSpec(
        "remote/*",
        urlPathTemplate,
        maxBatch,
        HttpEndpointSpec.Timeouts.DEFAULT,
        HttpEndpointSpec.OKHTTP_TRANSPORT,
        java.util.Map.of());
  }

  /** The official SDK's {@link RemoteFunctionFaultsTest.Counter} as the function {@code type}. */
  static org.apache.flink.statefun.sdk.java.StatefulFunctions counter(TypeName type) {
    return new org.apache.flink.statefun.sdk.java.StatefulFunctions()
        .withStatefulFunction(
            org.apache.flink.statefun.sdk.java.StatefulFunctionSpec.builder(
                    org.apache.flink.statefun.sdk.java.TypeName.typeNameFromString(
                        type.canonical()))
                .withValueSpec(RemoteFunctionFaultsTest.Counter.COUNT)
                .withSupplier(RemoteFunctionFaultsTest.Counter::new));
  }

  static StreamRecord<Envelope> message(TypeName function, String id, String text) {
    return new StreamRecord<>(new Envelope(new Address(function, id), null, TypedValue.of(text)));
  }

  /** A checkpoint of the dispatcher, as a task takes it; its feedback tail has nothing in flight. */
  static OperatorSubtaskState snapshot(
      KeyedOneInputStreamOperatorTestHarness<String, Envelope, Envelope> dispatcher,
      long checkpointId)
      throws Exception {
    dispatcher.prepareSnapshotPreBarrier(checkpointId);
    return dispatcher.snapshot(checkpointId, checkpointId);
  }

  /** The string records of the egress {@link #OUT}, in the order they were sent. */
  static List<String> egress(
      KeyedOneInputStreamOperatorTestHarness<String, Envelope, Envelope> harness) {
    var records = harness.getSideOutput(EgressTags.of(OUT));
    return records == null
        ? List.of()
        : records.stream()
            .map(record -> Types.STRING.deserialize(record.getValue().bytes()))
            .toList();
  }

  /** Runs the task's mails (ended calls) until the condition holds. */
  static void awaitMails(
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
