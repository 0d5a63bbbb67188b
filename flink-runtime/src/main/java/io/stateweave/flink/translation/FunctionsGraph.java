package io.stateweave.flink.translation;

import io.stateweave.flink.dispatcher.DispatcherSpec;
import io.stateweave.flink.dispatcher.FunctionDispatcherFactory;
import io.stateweave.flink.feedback.FeedbackSinkOperator;
import io.stateweave.flink.ingress.IngressRecord;
import io.stateweave.flink.ingress.IngressRouter;
import io.stateweave.flink.ingress.IngressRouter.BadRecordPolicy;
import io.stateweave.flink.message.Envelope;
import io.stateweave.flink.message.NetworkEnvelopeSerializer;
import io.stateweave.flink.message.TypeNameTable;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The core of the job: ingress records → router → keyBy(address id) → dispatcher, and the loop
 * dispatcher → keyBy(address id) → feedback tail ⇢ in-memory channel ⇢ dispatcher. The dispatcher
 * calls remote functions itself (see {@code RemoteFunctions}): an answer belongs to the address
 * whose call it ends, whose state that dispatcher holds. All these operators' outputs flush after {@link StateweaveOptions#BUFFER_TIMEOUT}: a message between
 * functions crosses the loop once per hop, and would wait for a flush on each.
 */
public final class FunctionsGraph {
  private final SingleOutputStreamOperator<Envelope> functions;
  private final DataStream<TypedValue> deadLetters;

  static final String COLOCATION_GROUP = "stateweave-feedback-loop";
  public static final String DISPATCHER_UID = "stateweave-functions";
  static final String FEEDBACK_UID = "stateweave-feedback";
  static final String ROUTER_UID = "stateweave-router";

  private FunctionsGraph(
      SingleOutputStreamOperator<Envelope> functions, DataStream<TypedValue> deadLetters) {
    this.functions = functions;
    this.deadLetters = deadLetters;
  }

  /** The dispatcher; its side outputs carry the egress records. */
  public SingleOutputStreamOperator<Envelope> functions() {
    return functions;
  }

  /** Undeliverable ingress records, when the policy sends them to an egress. */
  public DataStream<TypedValue> deadLetters() {
    return deadLetters;
  }

  /**
   * The loop's snapshot needs aligned barriers: a tail logs as in flight the messages its
   * dispatcher had not taken when that dispatcher's barrier left, so it must snapshot after its own
   * dispatcher's barrier. Unaligned, a tail snapshots on the first barrier of any dispatcher, maybe
   * before its own dispatcher has reached the checkpoint: it could not tell which of the messages
   * it passed on that dispatcher's snapshot holds. StateFun refused unaligned checkpoints too.
   */
  private static void requireAlignedCheckpoints(StreamExecutionEnvironment env) {
    if (env.getCheckpointConfig().isUnalignedCheckpointsEnabled()) {
      String key = CheckpointingOptions.ENABLE_UNALIGNED.key();
      throw new IllegalArgumentException(
          "Stateweave's feedback loop needs aligned checkpoints, but "
              + key
              + " is true; set it to false for this job (for example -D"
              + key
              + "=false)");
    }
  }

  /**
   * Builds the loop; the returned operator's side outputs carry the egress records. Each ingress is
   * routed at its own parallelism, chained to its source, so that records of one source partition
   * keep their order on the way to a function.
   */
  public static FunctionsGraph build(
      Map<String, DataStream<IngressRecord>> ingressesByName,
      Map<TypeName, List<TypeName>> targetsByRoute,
      BadRecordPolicy badRecords,
      DispatcherSpec spec) {
    return build(ingressesByName, List.of(), targetsByRoute, badRecords, spec);
  }

  /**
   * Builds the loop fed by the module's ingresses and by streams of the user's program. It changes
   * no setting of the program; object reuse, which spares a chained router a StreamRecord per
   * record, is the program's choice (the runtime's records are immutable, so it is safe).
   */
  public static FunctionsGraph build(
      Map<String, DataStream<IngressRecord>> ingressesByName,
      List<ProgramStream<?>> programStreams,
      Map<TypeName, List<TypeName>> targetsByRoute,
      BadRecordPolicy badRecords,
      DispatcherSpec spec) {
    if (ingressesByName.isEmpty() && programStreams.isEmpty()) {
      throw new IllegalArgumentException("A job needs at least one ingress");
    }
    StreamExecutionEnvironment env =
        ingressesByName.isEmpty()
            ? programStreams.get(0).stream().getExecutionEnvironment()
            : ingressesByName.values().iterator().next().getExecutionEnvironment();
    requireAlignedCheckpoints(env);
    requireOneGraph(env);
    int parallelism = env.getParallelism();
    int maxParallelism = env.getMaxParallelism();
    long bufferTimeout = env.getConfiguration().get(StateweaveOptions.BUFFER_TIMEOUT).toMillis();
    TypeInformation<Envelope> envelopes =
        NetworkEnvelopeSerializer.typeInfo(typeNames(targetsByRoute, spec));

    DataStream<Envelope> routed = null;
    DataStream<TypedValue> deadLetters = null;
    for (Map.Entry<String, DataStream<IngressRecord>> named : ingressesByName.entrySet()) {
      DataStream<IngressRecord> ingress = named.getValue();
      SingleOutputStreamOperator<Envelope> routedHere =
          ingress
              .process(new IngressRouter(targetsByRoute, badRecords), envelopes)
              .name("router " + named.getKey())
              .uid(ROUTER_UID + "-" + named.getKey())
              .setParallelism(ingress.getParallelism())
              .setBufferTimeout(bufferTimeout);
      routed = routed == null ? routedHere : routed.union(routedHere);
      DataStream<TypedValue> rejected = routedHere.getSideOutput(IngressRouter.DEAD_LETTERS);
      deadLetters = deadLetters == null ? rejected : deadLetters.union(rejected);
    }
    for (ProgramStream<?> programStream : programStreams) {
      DataStream<Envelope> routedHere = route(programStream, envelopes, bufferTimeout);
      routed = routed == null ? routedHere : routed.union(routedHere);
    }

    SingleOutputStreamOperator<Envelope> dispatcher =
        routed
            .keyBy(new AddressIdSelector(), BasicTypeInfo.STRING_TYPE_INFO)
            .transform("functions", envelopes, new FunctionDispatcherFactory(spec))
            .uid(DISPATCHER_UID)
            .setParallelism(parallelism)
            .setBufferTimeout(bufferTimeout);

    // The tail must be the dispatcher's twin: same parallelism and key groups, so that tail i
    // receives exactly the keys of dispatcher i, and the same slot, so they share a JVM.
    SingleOutputStreamOperator<Void> tail =
        dispatcher
            .keyBy(new AddressIdSelector(), BasicTypeInfo.STRING_TYPE_INFO)
            .transform("feedback", BasicTypeInfo.VOID_TYPE_INFO, new FeedbackSinkOperator())
            .uid(FEEDBACK_UID)
            .setParallelism(parallelism);
    if (maxParallelism > 0) {
      dispatcher.setMaxParallelism(maxParallelism);
      tail.setMaxParallelism(maxParallelism);
    }
    dispatcher.getTransformation().setCoLocationGroupKey(COLOCATION_GROUP);
    tail.getTransformation().setCoLocationGroupKey(COLOCATION_GROUP);
    return new FunctionsGraph(dispatcher, deadLetters);
  }

  /** Two loops in one job would share their operators' uids and the slots' feedback channels. */
  private static void requireOneGraph(StreamExecutionEnvironment env) {
    for (Transformation<?> transformation : env.getTransformations()) {
      if (DISPATCHER_UID.equals(transformation.getUid())) {
        throw new IllegalStateException(
            "This program already has Stateweave's functions: a job holds one set of them, so"
                + " give every function, ingress and egress to one builder or module");
      }
    }
  }

  private static <T> DataStream<Envelope> route(
      ProgramStream<T> programStream, TypeInformation<Envelope> envelopes, long bufferTimeout) {
    return programStream
        .stream()
        .map(programStream.toEnvelope(), envelopes)
        .name("router " + programStream.name())
        .uid(ROUTER_UID + "-" + programStream.name())
        .setParallelism(programStream.stream().getParallelism())
        .setBufferTimeout(bufferTimeout);
  }

  /**
   * The function types envelopes between the job's operators carry as one byte: the ingresses'
   * targets and the types the module names; others are spelled out.
   */
  private static TypeNameTable typeNames(
      Map<TypeName, List<TypeName>> targetsByRoute, DispatcherSpec spec) {
    List<TypeName> names = new ArrayList<>(spec.namedFunctionTypes());
    targetsByRoute.values().forEach(names::addAll);
    return TypeNameTable.of(names);
  }

  /** The Flink key of a message: its target's address id. */
  static final class AddressIdSelector implements KeySelector<Envelope, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(Envelope envelope) {
      return envelope.targetId();
    }
  }
}
