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
import io.stateweave.flink.module.IngressSpec;
import io.stateweave.flink.module.ModuleSpec;
import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Compiles a module into one Flink job: ingresses, the functions and their loop, egresses. */
public final class ModuleTranslator {
  private ModuleTranslator() {}

  /** Adds the module's job to {@code env}; errors name the module file and the component. */
  public static void translate(StreamExecutionEnvironment env, ModuleSpec module) {
    // before the embedded functions: a module of remote functions only binds none of them
    if (!module.endpoints().isEmpty()) {
      throw new IllegalArgumentException(
          module.source()
              + ": remote functions (io.statefun.endpoints.v2/http) are not supported by this"
              + " version of Stateweave yet; use embedded Java functions");
    }
    Set<TypeName> functionTypes = boundFunctionTypes(module);
    if (module.ingresses().isEmpty()) {
      throw new IllegalArgumentException(
          module.source() + ": the module defines no ingress, so no message would ever arrive");
    }
    Map<TypeName, List<TypeName>> targetsByRoute = new LinkedHashMap<>();
    for (IngressSpec ingress : module.ingresses()) {
      for (TypeName target : ingress.targets()) {
        if (!functionTypes.contains(target)) {
          throw new IllegalArgumentException(
              module.source()
                  + ": ingress "
                  + ingress.id()
                  + " targets function type "
                  + target
                  + ", which no function binds; bound types: "
                  + sorted(functionTypes));
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

    Set<TypeName> egressIds = new LinkedHashSet<>();
    module.egresses().forEach(egress -> egressIds.add(egress.id()));
    BadRecordPolicy badRecords = StateweaveOptions.badRecordPolicy(env.getConfiguration());
    TypeName deadLetterEgress = deadLetterEgress(env.getConfiguration(), badRecords, egressIds, module);
    DispatcherSpec dispatcherSpec =
        new DispatcherSpec(
            module.functions(),
            egressIds,
            Duration.ofMillis(env.getCheckpointConfig().getCheckpointTimeout()));
    FunctionsGraph graph = FunctionsGraph.build(ingresses, targetsByRoute, badRecords, dispatcherSpec);
    for (EgressSpec egress : module.egresses()) {
      DataStream<TypedValue> records = graph.functions().getSideOutput(EgressTags.of(egress.id()));
      if (egress.id().equals(deadLetterEgress)) {
        // one sink per egress: its transactions must not compete with a second one
        records = records.union(graph.deadLetters());
      }
      EgressBinder.bind(records, egress);
    }
  }

  private static TypeName deadLetterEgress(
      ReadableConfig config, BadRecordPolicy policy, Set<TypeName> egressIds, ModuleSpec module) {
    if (policy != BadRecordPolicy.DEAD_LETTER) {
      return null;
    }
    String id =
        config
            .getOptional(StateweaveOptions.DEAD_LETTER_EGRESS)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        StateweaveOptions.BAD_RECORDS.key()
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

  private static Set<TypeName> boundFunctionTypes(ModuleSpec module) {
    StatefulFunctions all = new StatefulFunctions();
    ClassLoader classLoader = Thread.currentThread().getContextClassLoader();
    for (EmbeddedFunctionsSpec spec : module.functions()) {
      all.registerAll(spec.instantiate(classLoader));
    }
    if (all.bindings().isEmpty()) {
      throw new IllegalArgumentException(module.source() + ": the module binds no function");
    }
    return all.bindings().keySet();
  }

  private static Set<String> sorted(Set<TypeName> types) {
    Set<String> result = new TreeSet<>();
    types.forEach(type -> result.add(type.canonical()));
    return result;
  }
}
