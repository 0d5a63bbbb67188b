package io.stateweave.flink.dispatcher;

import io.stateweave.flink.delay.DelayedMessages;
import io.stateweave.flink.feedback.FeedbackReceiver;
import io.stateweave.flink.message.Envelope;
import io.stateweave.flink.module.EmbeddedFunctionsSpec;
import io.stateweave.flink.remote.RemoteFunctions;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.FunctionBinding;
import io.stateweave.sdk.Message;
import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.StatefulFunctionsProvider;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.ValueSpec;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.apache.flink.util.function.ThrowingRunnable;

/**
 * Hosts every function type of the module in one keyed operator; the key is the address id.
 *
 * <p>A keyed stream operator rather than a {@code KeyedProcessFunction} because it must (1) switch
 * the current key itself, to deliver messages for addresses of its own key groups without leaving
 * the operator (the local shortcut, which keeps chains of calls off the network), (2) receive the
 * feedback loop's messages through the task mailbox, and (3) mark the loop's channel before its
 * barrier leaves, so that the feedback tail can log the messages in flight.
 *
 * <p>Messages for addresses of other subtasks leave on the main output towards the feedback tail,
 * egress records on one side output per egress, delayed messages wait in {@link DelayedMessages}.
 *
 * <p>Metrics ({@link FunctionMetrics}) are counted per function type: an invocation costs a counter
 * and a check whether to time it, a message or egress record sent a counter of its sender's type.
 */
public final class FunctionDispatcherOperator extends AbstractStreamOperator<Envelope>
    implements OneInputStreamOperator<Envelope, Envelope>,
        Triggerable<String, Long>,
        InvocationContext.Effects,
        RemoteFunctions.Host {
  private static final long serialVersionUID = 1L;

  private final DispatcherSpec spec;
  private final transient MailboxExecutor mailbox;

  private transient Map<TypeName, FunctionBinding> functions;
  private transient Map<TypeName, OutputTag<TypedValue>> egressTags;
  private transient KeyedStateBackend<String> backend;
  private transient KeyGroupRange localKeyGroups;
  private transient int maxParallelism;
  private transient FunctionStates states;
  private transient InvocationContext context;
  private transient DelayedMessages delayed;
  private transient RemoteFunctions remote;

  /** What remote functions reported about their states, for every subtask after a restore. */
  private transient ListState<Tuple2<String, byte[]>> learnedRemoteSpecs;

  private transient FeedbackReceiver feedback;
  private transient ArrayDeque<Envelope> localQueue;

  private transient boolean delivering;

  private transient MetricGroup stateweaveMetrics;
  private transient Map<TypeName, FunctionMetrics> functionMetrics;

  // The binding of the last function type invoked, by identity: the type names of messages read
  // from the network are shared instances, but not the map's keys, which the map would compare
  // character by character on every message.
  private transient TypeName lastType;
  private transient FunctionBinding lastBinding;
  private transient FunctionMetrics lastMetrics;

  // The metrics of the last sender of a message, egress record or delayed message, by identity as
  // above: a function's sends during one invocation all come from the same type name instance.
  private transient TypeName lastSenderType;
  private transient FunctionMetrics lastSenderMetrics;

  // One holder for every message sent to another subtask: the main output is a keyBy, which
  // serializes the record before collect returns (the same reuse as Flink's TimestampedCollector).
  private transient StreamRecord<Envelope> outgoing;

  FunctionDispatcherOperator(StreamOperatorParameters<Envelope> parameters, DispatcherSpec spec) {
    super(parameters);
    this.spec = spec;
    this.mailbox = parameters.getMailboxExecutor();
  }

  @Override
  public void open() throws Exception {
    super.open();
    functions = instantiateFunctions();
    egressTags = new HashMap<>();
    for (TypeName egress : spec.egresses()) {
      egressTags.put(egress, EgressTags.of(egress));
    }
    backend = getKeyedStateBackend();
    maxParallelism = getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks();
    localKeyGroups =
        KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
            maxParallelism,
            getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks(),
            getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
    stateweaveMetrics = getMetricGroup().addGroup(FunctionMetrics.STATEWEAVE_GROUP);
    functionMetrics = new HashMap<>();
    for (TypeName type : functions.keySet()) {
      functionMetrics.put(
          type,
          FunctionMetrics.embedded(FunctionMetrics.typeGroup(stateweaveMetrics, type.canonical())));
    }
    states = new FunctionStates(backend);
    for (FunctionBinding binding : functions.values()) {
      for (ValueSpec<?> valueSpec : binding.valueSpecs()) {
        states.state(binding.type(), valueSpec);
      }
    }
    context = new InvocationContext(this, states);
    delayed =
        new DelayedMessages(
            backend,
            getInternalTimerService("stateweave-delayed-messages", LongSerializer.INSTANCE, this),
            getProcessingTimeService(),
            spec.delayMemoryHorizon(),
            this::deliverDue);
    delayed.forEachSenderInState(sender -> metricsOf(sender).delayedMessageAdded());
    remote =
        new RemoteFunctions(
            spec.remote(),
            this,
            backend,
            this::remoteFunctionMetricGroup,
            remoteIoThreads());
    remote.relearn(learnedRemoteSpecs.get());
    remote.restore();
    localQueue = new ArrayDeque<>();
    outgoing = new StreamRecord<>(null);
    feedback =
        FeedbackReceiver.connect(getContainingTask().getEnvironment(), mailbox, this::deliver);
    // read by the reporter's thread: a size a moment old, as any gauge's
    stateweaveMetrics.gauge("localQueueSize", (Gauge<Integer>) localQueue::size);
    stateweaveMetrics.gauge("feedbackBacklog", (Gauge<Long>) feedback::backlog);
  }

  private Map<TypeName, FunctionBinding> instantiateFunctions() {
    StatefulFunctions all = new StatefulFunctions();
    for (EmbeddedFunctionsSpec functionsSpec : spec.functions()) {
      all.registerAll(functionsSpec.instantiate(getUserCodeClassloader()));
    }
    for (StatefulFunctionsProvider provider : spec.providedFunctions()) {
      all.registerAll(provider.functions());
    }
    return new HashMap<>(all.bindings());
  }

  /** The remote functions' I/O thread of this subtask: one event loop for all its calls. */
  private ThreadFactory remoteIoThreads() {
    String name =
        "stateweave-http-" + getRuntimeContext().getTaskInfo().getTaskNameWithSubtasks();
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  @Override
  public void processElement(StreamRecord<Envelope> element) throws Exception {
    // backpressure from remote functions: ended calls, the loop and timers go on meanwhile
    while (remote.mustWait()) {
      mailbox.yield();
    }
    deliver(element.getValue());
  }

  @Override
  public void onProcessingTime(InternalTimer<String, Long> timer) throws Exception {
    delayed.onTimer(timer);
  }

  private void deliverDue(List<Envelope> due) {
    for (Envelope envelope : due) {
      metricsOf(envelope.caller()).delayedMessageRemoved();
      route(envelope);
    }
    runLocalQueue();
  }

  @Override
  public void onEventTime(InternalTimer<String, Long> timer) {
    throw new IllegalStateException("The dispatcher registers no event-time timers");
  }

  /** Delivers a message for a local address, and everything it causes locally. */
  private void deliver(Envelope envelope) {
    localQueue.add(envelope);
    runLocalQueue();
  }

  private void runLocalQueue() {
    if (delivering) {
      return;
    }
    delivering = true;
    try {
      Envelope next;
      while ((next = localQueue.poll()) != null) {
        invoke(next);
      }
    } finally {
      delivering = false;
    }
  }

  private void invoke(Envelope envelope) {
    TypeName type = envelope.targetType();
    FunctionBinding binding;
    FunctionMetrics metrics;
    if (type == lastType) {
      binding = lastBinding;
      metrics = lastMetrics;
    } else {
      binding = functions.get(type);
      metrics = functionMetrics.get(type);
      lastType = type;
      lastBinding = binding;
      lastMetrics = metrics;
    }
    if (binding == null) {
      invokeRemote(envelope);
      return;
    }
    switchKey(envelope.targetId());
    context.prepare(envelope);
    try {
      states.refreshOnInvoke(type);
      if (metrics.invoked()) {
        long start = System.nanoTime();
        binding.function().invoke(context, new Message(envelope.payload()));
        metrics.invocationTook(System.nanoTime() - start);
      } else {
        binding.function().invoke(context, new Message(envelope.payload()));
      }
    } catch (RuntimeException e) {
      throw new FunctionInvocationException(envelope, e);
    } catch (Exception e) {
      throw new FunctionInvocationException(envelope, e);
    }
  }

  /** A message for a remote function. */
  private void invokeRemote(Envelope envelope) {
    Address target = envelope.target();
    if (!remote.serves(target.type())) {
      throw new UnknownFunctionException(envelope, functions.keySet());
    }
    switchKey(target.id());
    try {
      remote.onMessage(envelope);
    } catch (RuntimeException e) {
      throw new FunctionInvocationException(envelope, e);
    } catch (Exception e) {
      throw new FunctionInvocationException(envelope, e);
    }
  }

  // ---- what remote functions use ----

  /**
   * Makes {@code id} the current key. A message from the input has its key set by Flink already
   * (the same string: the key selector returns the envelope's id), so that case skips hashing the
   * key into its key group a second time.
   */
  @Override
  public void switchKey(String id) {
    if (getCurrentKey() != id) {
      setCurrentKey(id);
    }
  }

  @Override
  public void registerState(TypeName function, ValueSpec<byte[]> valueSpec) {
    states.state(function, valueSpec);
  }

  @Override
  public byte[] readState(TypeName function, ValueSpec<byte[]> valueSpec) throws Exception {
    return states.state(function, valueSpec).value();
  }

  @Override
  public void writeState(TypeName function, ValueSpec<byte[]> valueSpec, byte[] value)
      throws Exception {
    FunctionState<byte[]> state = states.state(function, valueSpec);
    if (value == null) {
      state.clear();
    } else {
      state.update(value);
    }
  }

  @Override
  public void runOnTaskThread(ThrowingRunnable<Exception> action, String description) {
    mailbox.execute(
        () -> {
          action.run();
          runLocalQueue();
        },
        description);
  }

  // ---- effects of an invocation ----

  @Override
  public void send(Envelope envelope) {
    metricsOf(envelope.caller()).sent();
    route(envelope);
  }

  /** Delivers a message here if its address is in this subtask's key groups, else on the loop. */
  private void route(Envelope envelope) {
    int keyGroup = KeyGroupRangeAssignment.assignToKeyGroup(envelope.targetId(), maxParallelism);
    if (localKeyGroups.contains(keyGroup)) {
      localQueue.add(envelope);
    } else {
      output.collect(outgoing.replace(envelope));
    }
  }

  @Override
  public void sendAfter(Duration delay, Envelope envelope, String cancellationToken) {
    try {
      delayed.add(envelope.caller(), delay, envelope, cancellationToken);
      metricsOf(envelope.caller()).delayedMessageAdded();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("Cannot buffer a delayed message of " + envelope.caller(), e);
    }
  }

  @Override
  public void cancelDelayed(Address sender, String cancellationToken) {
    try {
      if (delayed.cancel(sender, cancellationToken)) {
        metricsOf(sender).delayedMessageRemoved();
      }
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("Cannot cancel a delayed message of " + sender, e);
    }
  }

  @Override
  public void egress(Address sender, TypeName egress, TypedValue record) {
    OutputTag<TypedValue> tag = egressTags.get(egress);
    if (tag == null) {
      throw new IllegalArgumentException(
          "Function "
              + sender.type()
              + " (id '"
              + sender.id()
              + "') sent to egress "
              + egress
              + ", which the module does not define; defined egresses: "
              + egressTags.keySet());
    }
    metricsOf(sender).egressed();
    output.collect(tag, new StreamRecord<>(record));
  }

  /**
   * The metrics of the function type that sent something. Made on first use for a remote type, or
   * for the type of a delayed message restored from a checkpoint that no function binds any more.
   */
  private FunctionMetrics metricsOf(Address sender) {
    TypeName type = sender.type();
    if (type != lastSenderType) {
      lastSenderMetrics = functionMetrics(type);
      lastSenderType = type;
    }
    return lastSenderMetrics;
  }

  private FunctionMetrics functionMetrics(TypeName type) {
    FunctionMetrics metrics = functionMetrics.get(type);
    if (metrics == null) {
      metrics =
          FunctionMetrics.remote(FunctionMetrics.typeGroup(stateweaveMetrics, type.canonical()));
      functionMetrics.put(type, metrics);
    }
    return metrics;
  }

  /**
   * The group of a remote function type's metrics, where its calls are counted beside what every
   * type counts; those are registered now, so that a type shows all of its metrics from its first
   * call on.
   */
  private MetricGroup remoteFunctionMetricGroup(TypeName type) {
    functionMetrics(type);
    return FunctionMetrics.typeGroup(stateweaveMetrics, type.canonical());
  }

  // ---- checkpoints ----

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    learnedRemoteSpecs =
        context
            .getOperatorStateStore()
            .getUnionListState(
                new ListStateDescriptor<>(
                    "stateweave-remote-state-specs",
                    new TupleTypeInfo<>(
                        BasicTypeInfo.STRING_TYPE_INFO,
                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)));
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    super.prepareSnapshotPreBarrier(checkpointId);
    // here, not in snapshotState: Flink writes heap timers of a RocksDB backend before that
    delayed.prepareSnapshot();
    // here, not in snapshotState: the barrier leaves in between, and the tail may snapshot then
    feedback.cut(checkpointId);
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    learnedRemoteSpecs.update(remote.learnedSpecs());
  }

  @Override
  public void notifyCheckpointAborted(long checkpointId) throws Exception {
    super.notifyCheckpointAborted(checkpointId);
    feedback.forget(checkpointId);
  }

  @Override
  public void close() throws Exception {
    if (feedback != null) {
      feedback.close();
    }
    if (remote != null) {
      remote.close();
    }
    super.close();
  }
}
