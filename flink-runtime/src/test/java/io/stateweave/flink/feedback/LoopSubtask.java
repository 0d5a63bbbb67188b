package io.stateweave.flink.feedback;

import io.stateweave.flink.dispatcher.DispatcherSpec;
import io.stateweave.flink.dispatcher.EgressTags;
import io.stateweave.flink.dispatcher.FunctionDispatcherFactory;
import io.stateweave.flink.message.Envelope;
import io.stateweave.flink.message.EnvelopeSerializer;
import io.stateweave.flink.module.EmbeddedFunctionsSpec;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.types.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.executiongraph.ExecutionAttemptID;
import org.apache.flink.runtime.memory.MemoryManager;
import org.apache.flink.runtime.memory.MemoryManagerBuilder;
import org.apache.flink.runtime.memory.OpaqueMemoryResource;
import org.apache.flink.runtime.metrics.MetricRegistry;
import org.apache.flink.runtime.metrics.groups.TaskManagerMetricGroup;
import org.apache.flink.runtime.metrics.util.TestingMetricRegistry;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

/**
 * One subtask of the loop in Flink's operator test harnesses: a dispatcher of {@link
 * LoopFunctions} and its feedback tail, in one task slot (one memory manager) as the co-location
 * group places them in a job. The test plays the network: it hands the tail the messages other
 * dispatchers would send, and runs the dispatcher's mails when it wants the loop drained.
 */
final class LoopSubtask implements AutoCloseable {
  static final int MAX_PARALLELISM = 128;

  /** The slot this subtask made for itself and shuts down on close; null for a given one. */
  private final MemoryManager ownSlot;
  final OneInputStreamOperatorTestHarness<Envelope, Envelope> dispatcher;
  final KeyedOneInputStreamOperatorTestHarness<String, Envelope, Void> tail;

  /** The metrics the dispatcher registered, by identifier. */
  private final Map<String, Metric> dispatcherMetrics;

  private LoopSubtask(
      MemoryManager ownSlot,
      OneInputStreamOperatorTestHarness<Envelope, Envelope> dispatcher,
      KeyedOneInputStreamOperatorTestHarness<String, Envelope, Void> tail,
      Map<String, Metric> dispatcherMetrics) {
    this.ownSlot = ownSlot;
    this.dispatcher = dispatcher;
    this.tail = tail;
    this.dispatcherMetrics = dispatcherMetrics;
  }

  /** The only subtask of a job. */
  static LoopSubtask open(Checkpoint restoreFrom) throws Exception {
    return open(new JobID(), 1, 0, restoreFrom);
  }

  /** Subtask {@code index} of {@code parallelism}, restored from {@code restoreFrom} if given. */
  static LoopSubtask open(JobID job, int parallelism, int index, Checkpoint restoreFrom)
      throws Exception {
    MemoryManager slot = MemoryManagerBuilder.newBuilder().build();
    LoopSubtask subtask = open(job, parallelism, index, restoreFrom, slot);
    return new LoopSubtask(slot, subtask.dispatcher, subtask.tail, subtask.dispatcherMetrics);
  }

  /** As {@link #open(JobID, int, int, Checkpoint)}, in a slot that the caller shuts down. */
  static LoopSubtask open(
      JobID job, int parallelism, int index, Checkpoint restoreFrom, MemoryManager slot)
      throws Exception {
    DispatcherSpec spec =
        new DispatcherSpec(
            List.of(new EmbeddedFunctionsSpec(List.of(), List.of(LoopFunctions.class.getName()))),
            Set.of(LoopFunctions.OUT));
    Map<String, Metric> dispatcherMetrics = new ConcurrentHashMap<>();
    MetricRegistry registry =
        TestingMetricRegistry.builder()
            .setRegisterConsumer(
                (metric, name, group) ->
                    dispatcherMetrics.put(group.getMetricIdentifier(name), metric))
            .build();
    MockEnvironment dispatcherTask =
        task(slot, job, parallelism, index)
            .setMetricGroup(
                TaskManagerMetricGroup.createTaskManagerMetricGroup(
                        registry, "localhost", ResourceID.generate())
                    .addJob(job, "loop")
                    .addTask(ExecutionAttemptID.randomId(), "dispatcher"))
            .build();
    var dispatcher =
        new OneInputStreamOperatorTestHarness<Envelope, Envelope>(
            new FunctionDispatcherFactory(spec), new EnvelopeSerializer(), dispatcherTask);
    // what KeyedOneInputStreamOperatorTestHarness does, which takes no factory with an environment
    KeySelector<Envelope, String> byTarget = Envelope::targetId;
    dispatcher.getStreamConfig().setStatePartitioner(0, byTarget);
    dispatcher.getStreamConfig().setStateKeySerializer(StringSerializer.INSTANCE);
    dispatcher.getStreamConfig().serializeAllConfigs();
    var tail =
        new KeyedOneInputStreamOperatorTestHarness<String, Envelope, Void>(
            new FeedbackSinkOperator(),
            Envelope::targetId,
            BasicTypeInfo.STRING_TYPE_INFO,
            task(slot, job, parallelism, index).build());
    if (restoreFrom != null) {
      dispatcher.initializeState(restoreFrom.dispatcher());
      tail.initializeState(restoreFrom.tail());
    }
    dispatcher.open();
    tail.open();
    return new LoopSubtask(null, dispatcher, tail, dispatcherMetrics);
  }

  private static MockEnvironmentBuilder task(
      MemoryManager slot, JobID job, int parallelism, int index) {
    return new MockEnvironmentBuilder()
        .setJobID(job)
        .setMaxParallelism(MAX_PARALLELISM)
        .setParallelism(parallelism)
        .setSubtaskIndex(index)
        .setMemoryManager(slot);
  }

  /** The snapshots of one checkpoint: the dispatcher's and its tail's. */
  record Checkpoint(OperatorSubtaskState dispatcher, OperatorSubtaskState tail) {
    /** The checkpoint of all {@code subtasks}, for subtask {@code index} of another parallelism. */
    static Checkpoint rescaled(List<Checkpoint> subtasks, int newParallelism, int index)
        throws Exception {
      int old = subtasks.size();
      return new Checkpoint(
          rescale(subtasks.stream().map(Checkpoint::dispatcher), old, newParallelism, index),
          rescale(subtasks.stream().map(Checkpoint::tail), old, newParallelism, index));
    }

    private static OperatorSubtaskState rescale(
        Stream<OperatorSubtaskState> states,
        int oldParallelism,
        int newParallelism,
        int index)
        throws Exception {
      OperatorSubtaskState all =
          AbstractStreamOperatorTestHarness.repackageState(
              states.toArray(OperatorSubtaskState[]::new));
      return KeyedOneInputStreamOperatorTestHarness.repartitionOperatorState(
          all, MAX_PARALLELISM, oldParallelism, newParallelism, index);
    }
  }

  /** A message that reaches the tail from some dispatcher: for the counter {@code id}. */
  void toTail(String id, String text) throws Exception {
    tail.processElement(new StreamRecord<>(message(LoopFunctions.COUNTER, id, text)));
  }

  /** A message from an ingress. */
  void toDispatcher(TypeName function, String id, String text) throws Exception {
    dispatcher.processElement(new StreamRecord<>(message(function, id, text)));
  }

  private static Envelope message(TypeName function, String id, String text) {
    return new Envelope(new Address(function, id), null, TypedValue.of(text));
  }

  /** Runs the dispatcher's mails, the loop's deliveries among them, until there are none. */
  void runMails() throws Exception {
    TaskMailbox mailbox = dispatcher.getTaskMailbox();
    Optional<Mail> mail;
    while ((mail = mailbox.tryTake(TaskMailbox.MIN_PRIORITY)).isPresent()) {
      mail.get().run();
    }
  }

  /** The dispatcher's part of checkpoint {@code id}: as in a task, first the pre-barrier work. */
  OperatorSubtaskState snapshotDispatcher(long id) throws Exception {
    dispatcher.prepareSnapshotPreBarrier(id);
    return dispatcher.snapshot(id, id);
  }

  /** The tail's part of checkpoint {@code id}, when the barriers reached it. */
  OperatorSubtaskState snapshotTail(long id) throws Exception {
    return tail.snapshot(id, id);
  }

  /** Checkpoint {@code id} with nothing in between the dispatcher's and the tail's snapshots. */
  Checkpoint checkpoint(long id) throws Exception {
    OperatorSubtaskState dispatcherState = snapshotDispatcher(id);
    return new Checkpoint(dispatcherState, snapshotTail(id));
  }

  void abortAtDispatcher(long id) throws Exception {
    ((AbstractStreamOperator<?>) dispatcher.getOperator()).notifyCheckpointAborted(id);
  }

  void abortAtTail(long id) throws Exception {
    tail.getOperator().notifyCheckpointAborted(id);
  }

  /** The records of the egress {@link LoopFunctions#OUT} so far. */
  List<String> egress() {
    var records = dispatcher.getSideOutput(EgressTags.of(LoopFunctions.OUT));
    List<String> texts = new ArrayList<>();
    if (records != null) {
      records.forEach(record -> texts.add(Types.STRING.deserialize(record.getValue().bytes())));
    }
    return texts;
  }

  /** The value of the dispatcher's gauge whose identifier ends with {@code scopeAndName}. */
  Object gauge(String scopeAndName) {
    List<Metric> found =
        dispatcherMetrics.entrySet().stream()
            .filter(entry -> entry.getKey().endsWith("." + scopeAndName))
            .map(Map.Entry::getValue)
            .toList();
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one gauge " + scopeAndName + ", got " + found.size() + " of "
              + dispatcherMetrics.keySet());
    }
    return ((Gauge<?>) found.get(0)).getValue();
  }

  /** The channel the two share; looked at, not held. */
  FeedbackChannel channel() throws Exception {
    try (OpaqueMemoryResource<FeedbackChannel> lease =
        FeedbackChannels.acquire(dispatcher.getEnvironment())) {
      return lease.getResourceHandle();
    }
  }

  /** Ids of {@code count} counters that subtask {@code index} of {@code parallelism} owns. */
  static List<String> idsOf(int parallelism, int index, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; ids.size() < count; i++) {
      String id = "id-" + i;
      if (KeyGroupRangeAssignment.assignKeyToParallelOperator(id, MAX_PARALLELISM, parallelism)
          == index) {
        ids.add(id);
      }
    }
    return ids;
  }

  @Override
  public void close() throws Exception {
    try {
      dispatcher.close();
      tail.close();
    } finally {
      if (ownSlot != null) {
        ownSlot.shutdown();
      }
    }
  }
}
