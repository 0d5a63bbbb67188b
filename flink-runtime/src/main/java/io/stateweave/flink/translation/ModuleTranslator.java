package io.stateweave.flink.translation;

import io.stateweave.flink.dispatcher.DispatcherSpec;
import io.stateweave.flink.dispatcher.EgressTags;
import io.stateweave.flink.egress.EgressBinder;
import io.stateweave.flink.ingress.IngressBinder;
import io.stateweave.flink.ingress.IngressRecord;
import io.stateweave.flink.ingress.IngressRouter.BadRecordPolicy;
import io.stateweave.flink.ingress.KeepAliveSource;
import io.stateweave.flink.module.EgressSpec;
import io.stateweave.flink.module.EmbeddedFunctionsSpec;
import io.stateweave.flink.module.HttpEndpointSpec;
import io.stateweave.flink.module.IngressSpec;
import io.stateweave.flink.module.ModuleSpec;
import io.stateweave.flink.processor.Processors;
import io.stateweave.flink.remote.RemoteSpec;
import io.stateweave.flink.remote.RetryPolicy;
import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.StatefulFunctionsProvider;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Compiles a module into one Flink job: ingresses, the functions and their loop, egresses. */
public final class ModuleTranslator {
  private ModuleTranslator() {}

  /** Adds the module's job to {@code env}; errors name the module file and the component. */
  public static void translate(StreamExecutionEnvironment env, ModuleSpec module) {
    translate(env, module, ProgramParts.NONE);
  }

  /**
   * What a program adds to a module in code: functions bound by serializable providers, its own
   * streams as ingresses, and egresses it takes as streams instead of a module's sinks.
   */
  public record ProgramParts(
      List<? extends StatefulFunctionsProvider> functions,
      List<ProgramStream<?>> ingresses,
      Set<TypeName> egresses) {
    static final ProgramParts NONE = new ProgramParts(List.of(), List.of(), Set.of());

    public ProgramParts {
      functions = List.copyOf(functions);
      ingresses = List.copyOf(ingresses);
      egresses = Set.copyOf(egresses);
    }
  }

  /**
   * Adds the module's job and the program's parts to {@code env}; returns the records of the
   * program's egresses, by id.
   */
  public static Map<TypeName, DataStream<TypedValue>> translate(
      StreamExecutionEnvironment env, ModuleSpec module, ProgramParts program) {
    module.processors().forEach(task -> Processors.addTo(env, task));
    ReadableConfig config = env.getConfiguration();
    BadRecordPolicy badRecords = StateweaveOptions.badRecordPolicy(config);
    Set<TypeName> egressIds = egressIds(module, program);
    TypeName deadLetterEgress = null;
    DataStream<TypedValue> transactionsDeadLetters = null;
    if (!module.transactions().isEmpty()) {
      if (badRecords == BadRecordPolicy.DEAD_LETTER) {
        deadLetterEgress = deadLetterEgress(config, badRecords, egressIds, module);
      }
      transactionsDeadLetters = KafkaTransactions.bind(env, module, badRecords);
    }
    // a module of processor tasks or transactions alone has no functions' loop to build
    if ((!module.processors().isEmpty() || !module.transactions().isEmpty())
        && hasNoFunctions(module, program, deadLetterEgress)) {
      if (deadLetterEgress != null) {
        // then the module's only egress
        EgressBinder.bind(transactionsDeadLetters, module.egresses().get(0));
      }
      return Map.of();
    }
    Set<TypeName> functionTypes = boundFunctionTypes(module, program);
    RetryPolicy retry = StateweaveOptions.retryPolicy(config);
    boolean remoteDeadLetters =
        !module.endpoints().isEmpty() && retry.onFailure() == RetryPolicy.OnFailure.DEAD_LETTER;
    if (module.ingresses().isEmpty() && program.ingresses().isEmpty()) {
      throw new IllegalArgumentException(
          module.source() + ": the module defines no ingress, so no message would ever arrive");
    }
    if (deadLetterEgress == null
        && (badRecords == BadRecordPolicy.DEAD_LETTER || remoteDeadLetters)) {
      deadLetterEgress = deadLetterEgress(config, badRecords, egressIds, module);
    }
    RemoteSpec remote =
        remoteSpec(
            module, functionTypes, retry, config, remoteDeadLetters ? deadLetterEgress : null);

    Map<TypeName, List<TypeName>> targetsByRoute = new LinkedHashMap<>();
    for (IngressSpec ingress : module.ingresses()) {
      for (TypeName target : ingress.targets()) {
        if (!functionTypes.contains(target) && !remote.isRemote(target)) {
          throw new IllegalArgumentException(
              module.source()
                  + ": ingress "
                  + ingress.id()
                  + " targets function type "
                  + target
                  + ", which no function binds and no HTTP endpoint serves; bound types: "
                  + sorted(functionTypes)
                  + ", endpoints: "
                  + module.endpoints().stream().map(HttpEndpointSpec::functions).toList());
        }
      }
      targetsByRoute.putAll(ingress.routes());
    }

    Map<String, DataStream<IngressRecord>> ingresses = new LinkedHashMap<>();
    for (IngressSpec spec : module.ingresses()) {
      ingresses.put(spec.id().canonical(), IngressBinder.bind(env, spec));
    }
    ingresses.put(
        "keep-alive",
        env.fromSource(new KeepAliveSource(), WatermarkStrategy.noWatermarks(), "keep-alive")
            .uid("stateweave-keep-alive"));

    DispatcherSpec dispatcherSpec =
        new DispatcherSpec(
            module.functions(),
            program.functions(),
            egressIds,
            remote,
            config.get(StateweaveOptions.DELAYED_MESSAGES_MEMORY_HORIZON));
    FunctionsGraph graph =
        FunctionsGraph.build(
            ingresses, program.ingresses(), targetsByRoute, badRecords, dispatcherSpec);
    DataStream<TypedValue> deadLetters = graph.deadLetters();
    if (badRecords == BadRecordPolicy.DEAD_LETTER && transactionsDeadLetters != null) {
      deadLetters = deadLetters.union(transactionsDeadLetters);
    }
    for (EgressSpec egress : module.egresses()) {
      DataStream<TypedValue> records = graph.functions().getSideOutput(EgressTags.of(egress.id()));
      if (badRecords == BadRecordPolicy.DEAD_LETTER && egress.id().equals(deadLetterEgress)) {
        // one sink per egress: its transactions must not compete with a second one
        records = records.union(deadLetters);
      }
      EgressBinder.bind(records, egress);
    }
    Map<TypeName, DataStream<TypedValue>> programEgresses = new LinkedHashMap<>();
    for (TypeName egress : program.egresses()) {
      DataStream<TypedValue> records = graph.functions().getSideOutput(EgressTags.of(egress));
      if (badRecords == BadRecordPolicy.DEAD_LETTER && egress.equals(deadLetterEgress)) {
        records = records.union(deadLetters);
      }
      programEgresses.put(egress, records);
    }
    return programEgresses;
  }

  /** The module's and the program's egresses, each defined once. */
  private static Set<TypeName> egressIds(ModuleSpec module, ProgramParts program) {
    Set<TypeName> egressIds = new LinkedHashSet<>();
    module.egresses().forEach(egress -> egressIds.add(egress.id()));
    for (TypeName egress : program.egresses()) {
      if (!egressIds.add(egress)) {
        throw new IllegalArgumentException(
            module.source() + ": egress " + egress + " is defined twice");
      }
    }
    return egressIds;
  }

  /**
   * The remote functions: the module's endpoints, checked against what the HTTP client supports and
   * against the embedded functions. An embedded function wins over an endpoint of its whole
   * namespace ({@code ns/*}), as an exact name wins over a wildcard; an endpoint naming an embedded
   * type exactly is a mistake.
   */
  private static RemoteSpec remoteSpec(
      ModuleSpec module,
      Set<TypeName> embedded,
      RetryPolicy retry,
      ReadableConfig config,
      TypeName deadLetterEgress) {
    for (HttpEndpointSpec endpoint : module.endpoints()) {
      if (embedded.contains(TypeName.parse(endpoint.functions()))) {
        throw new IllegalArgumentException(
            module.source()
                + ": function type "
                + endpoint.functions()
                + " is both an embedded function and served by the HTTP endpoint "
                + endpoint.urlPathTemplate());
      }
    }
    try {
      return new RemoteSpec(
          module.endpoints(),
          retry,
          config.get(StateweaveOptions.REMOTE_CAPACITY),
          deadLetterEgress,
          module.legacyFunctions());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(module.source() + ": " + e.getMessage(), e);
    }
  }

  private static TypeName deadLetterEgress(
      ReadableConfig config, BadRecordPolicy policy, Set<TypeName> egressIds, ModuleSpec module) {
    String setting =
        policy == BadRecordPolicy.DEAD_LETTER
            ? StateweaveOptions.BAD_RECORDS.key()
            : StateweaveOptions.REMOTE_ON_FAILURE.key();
    String id =
        config
            .getOptional(StateweaveOptions.DEAD_LETTER_EGRESS)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        setting
                            + " is 'dead-letter', so "
                            + StateweaveOptions.DEAD_LETTER_EGRESS.key()
                            + " must name an egress of "
                            + module.source()));
    TypeName egress = TypeName.parse(id);
    if (!egressIds.contains(egress)) {
      throw new IllegalArgumentException(
          StateweaveOptions.DEAD_LETTER_EGRESS.key()
              + " names egress "
              + egress
              + ", which "
              + module.source()
              + " does not define; defined egresses: "
              + egressIds);
    }
    return egress;
  }

  private static Set<TypeName> boundFunctionTypes(ModuleSpec module, ProgramParts program) {
    StatefulFunctions all = new StatefulFunctions();
    ClassLoader classLoader = Thread.currentThread().getContextClassLoader();
    for (EmbeddedFunctionsSpec spec : module.functions()) {
      all.registerAll(spec.instantiate(classLoader));
    }
    for (StatefulFunctionsProvider provider : program.functions()) {
      all.registerAll(provider.functions());
    }
    if (all.bindings().isEmpty() && module.endpoints().isEmpty()) {
      throw new IllegalArgumentException(
          module.source() + ": the module binds no function and serves none over HTTP");
    }
    return all.bindings().keySet();
  }

  /**
   * A module of processor tasks or transactions alone needs none of the functions' parts; its one
   * egress may be the transactions' dead-letter egress.
   */
  private static boolean hasNoFunctions(
      ModuleSpec module, ProgramParts program, TypeName transactionsDeadLetterEgress) {
    return module.functions().isEmpty()
        && module.endpoints().isEmpty()
        && module.ingresses().isEmpty()
        && module.egresses().stream()
            .allMatch(egress -> egress.id().equals(transactionsDeadLetterEgress))
        && program.equals(ProgramParts.NONE);
  }

  private static Set<String> sorted(Set<TypeName> types) {
    Set<String> result = new TreeSet<>();
    types.forEach(type -> result.add(type.canonical()));
    return result;
  }
}
