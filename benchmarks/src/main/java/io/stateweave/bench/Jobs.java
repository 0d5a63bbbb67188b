package io.stateweave.bench;

import io.stateweave.flink.dispatcher.DispatcherSpec;
import io.stateweave.flink.dispatcher.EgressTags;
import io.stateweave.flink.ingress.IngressRecord;
import io.stateweave.flink.ingress.IngressRouter.BadRecordPolicy;
import io.stateweave.flink.ingress.KeepAliveSource;
import io.stateweave.flink.message.IngressRecordSerializer;
import io.stateweave.flink.module.EmbeddedFunctionsSpec;
import io.stateweave.flink.module.ModuleLoader;
import io.stateweave.flink.processor.ProcessorRecord;
import io.stateweave.flink.processor.Processors;
import io.stateweave.flink.remote.RemoteSpec;
import io.stateweave.flink.remote.RetryPolicy;
import io.stateweave.flink.translation.FunctionsGraph;
import io.stateweave.flink.translation.StateweaveOptions;
import io.stateweave.sdk.StatefulFunction;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.processor.KafkaInput;
import io.stateweave.sdk.processor.TaskConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The benchmark jobs. Each runs at parallelism 2 on its own MiniCluster (one TaskManager, two
 * slots), with checkpoints every 10 s to a local directory. The Stateweave jobs are the runtime's
 * real graph ({@link FunctionsGraph}: router, dispatcher, feedback loop, keep-alive source); the
 * ingress is a bounded {@code DataGeneratorSource} at parallelism 2.
 */
final class Jobs {
  static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(10);

  private Jobs() {}

  /**
   * A MiniCluster job environment; {@code bufferTimeoutMs} &lt; 0 keeps Flink's default network
   * buffer timeout (100 ms), {@code functionsBufferTimeoutMs} &lt; 0 the runtime's for the
   * dispatcher's outputs; {@code flinkConf} is more of Flink's configuration (from {@code --conf
   * key=value}); {@code remoteMetrics} registers {@link RemoteMetrics} as a metric reporter.
   */
  static StreamExecutionEnvironment environment(
      String backend,
      Path checkpoints,
      long bufferTimeoutMs,
      long functionsBufferTimeoutMs,
      Map<String, String> flinkConf,
      boolean remoteMetrics) {
    Configuration config = Configuration.fromMap(flinkConf);
    if (functionsBufferTimeoutMs >= 0) {
      config.set(StateweaveOptions.BUFFER_TIMEOUT, Duration.ofMillis(functionsBufferTimeoutMs));
    }
    if (remoteMetrics) {
      config.setString(
          "metrics.reporter." + RemoteMetrics.NAME + ".factory.class",
          RemoteMetrics.Factory.class.getName());
    }
    config.set(StateBackendOptions.STATE_BACKEND, backend);
    config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    config.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    env.setParallelism(Addresses.PARALLELISM);
    env.setMaxParallelism(Addresses.MAX_PARALLELISM);
    env.enableCheckpointing(CHECKPOINT_INTERVAL.toMillis());
    if (bufferTimeoutMs >= 0) {
      env.setBufferTimeout(bufferTimeoutMs);
    }
    return env;
  }

  /** The hand-written count: generator → keyBy(id) → KeyedProcessFunction with a ValueState. */
  static void baselineCount(StreamExecutionEnvironment env, long n) {
    env.fromSource(
            new DataGeneratorSource<>(
                new Generators.BaselineOnes(),
                n,
                RateLimiterStrategy.noOp(),
                Types.TUPLE(Types.STRING, Types.INT)),
            WatermarkStrategy.noWatermarks(),
            "generator")
        .keyBy(record -> record.f0, Types.STRING)
        .process(new BaselineCount(), TypeInformation.of(Void.class))
        .name("count");
  }

  static FunctionsGraph stateweave(
      StreamExecutionEnvironment env,
      GeneratorFunction<Long, IngressRecord> records,
      long n,
      TypeName function,
      Class<? extends StatefulFunction> functionClass,
      Set<TypeName> egresses) {
    return stateweave(
        env,
        records,
        n,
        function,
        List.of(
            new EmbeddedFunctionsSpec(
                List.of(
                    new EmbeddedFunctionsSpec.ClassBinding(
                        function.canonical(), functionClass.getName())),
                List.of())),
        egresses,
        RemoteSpec.none());
  }

  /** The runtime's graph with the given embedded and remote functions, fed at full speed. */
  static FunctionsGraph stateweave(
      StreamExecutionEnvironment env,
      GeneratorFunction<Long, IngressRecord> records,
      long n,
      TypeName function,
      List<EmbeddedFunctionsSpec> embedded,
      Set<TypeName> egresses,
      RemoteSpec remote) {
    return stateweave(
        env, records, n, function, embedded, egresses, remote, RateLimiterStrategy.noOp());
  }

  /** As above, with the generator's records limited by {@code rate}. */
  static FunctionsGraph stateweave(
      StreamExecutionEnvironment env,
      GeneratorFunction<Long, IngressRecord> records,
      long n,
      TypeName function,
      List<EmbeddedFunctionsSpec> embedded,
      Set<TypeName> egresses,
      RemoteSpec remote,
      RateLimiterStrategy<?> rate) {
    DataStream<IngressRecord> generated =
        env.fromSource(
                new DataGeneratorSource<>(records, n, rate, IngressRecordSerializer.TYPE_INFO),
                WatermarkStrategy.noWatermarks(),
                "generator")
            .uid("bench-generator");
    DataStream<IngressRecord> keepAlive =
        env.fromSource(new KeepAliveSource(), WatermarkStrategy.noWatermarks(), "keep alive")
            .uid("bench-keep-alive");
    DispatcherSpec spec =
        new DispatcherSpec(
            embedded,
            egresses,
            remote,
            env.getConfiguration().get(StateweaveOptions.DELAYED_MESSAGES_MEMORY_HORIZON));
    // as StateweaveJob does: the runtime's records are immutable, so chained operators need not copy
    env.getConfig().enableObjectReuse();
    FunctionsGraph graph =
        FunctionsGraph.build(
            Map.of("generator", generated, "keep-alive", keepAlive),
            Map.of(Generators.INGRESS, List.of(function)),
            BadRecordPolicy.FAIL,
            spec);
    for (TypeName egress : egresses) {
      graph
          .functions()
          .getSideOutput(EgressTags.of(egress))
          .sinkTo(new CountingSink())
          .name("egress " + egress);
    }
    return graph;
  }

  static void count(StreamExecutionEnvironment env, long n) {
    stateweave(env, new Generators.Ones(), n, CountFunction.TYPE, CountFunction.class, Set.of());
  }

  /**
   * processor: the count per key through a processor's KV store, fed by the same generator as the
   * baseline (the task's Kafka input is there for the builder and not read).
   */
  static void processor(StreamExecutionEnvironment env, long n) {
    Processors.process(
        env.fromSource(
            new DataGeneratorSource<>(
                new Generators.ProcessorOnes(),
                n,
                RateLimiterStrategy.noOp(),
                ProcessorRecord.typeInfo()),
            WatermarkStrategy.noWatermarks(),
            "generator"),
        TaskConfig.builder()
            .name("count")
            .processor(CountProcessor.class)
            .inputGroup(KafkaInput.of("unused:9092", "unused", "unused"))
            .build());
  }

  static void chain(StreamExecutionEnvironment env, long chains, double chainsPerSecond) {
    stateweave(
        env,
        new Generators.ChainStarts(chainsPerSecond / Addresses.PARALLELISM),
        chains,
        ChainFunction.TYPE,
        ChainFunction.class,
        Set.of());
  }

  static void delay(StreamExecutionEnvironment env, long n) {
    stateweave(
        env,
        new Generators.Ones(),
        n,
        DelayFunction.TYPE,
        DelayFunction.class,
        Set.of(DelayFunction.EGRESS));
  }

  /**
   * remote: count, with the function served over HTTP by the endpoint in {@code endpointYaml} (an
   * {@code io.statefun.endpoints.v2/http} module document) and {@code capacity} calls in flight per
   * subtask ({@code stateweave.remote.capacity}); retries are the runtime's defaults.
   */
  static void remoteCount(
      StreamExecutionEnvironment env, long n, String endpointYaml, int capacity) {
    remoteCount(env, n, endpointYaml, RemoteCount.TYPE, capacity, 0);
  }

  /** As above, for the remote function {@code type}, at most {@code rate} messages/s (0: any). */
  static void remoteCount(
      StreamExecutionEnvironment env,
      long n,
      String endpointYaml,
      TypeName type,
      int capacity,
      double rate) {
    RemoteSpec remote =
        new RemoteSpec(
            ModuleLoader.parse(endpointYaml, "benchmark endpoint").endpoints(),
            new RetryPolicy(
                StateweaveOptions.REMOTE_MAX_RETRIES.defaultValue(),
                StateweaveOptions.REMOTE_INITIAL_BACKOFF.defaultValue(),
                StateweaveOptions.REMOTE_MAX_BACKOFF.defaultValue(),
                RetryPolicy.OnFailure.FAIL),
            capacity,
            null);
    stateweave(
        env,
        new Generators.Ones(),
        n,
        type,
        List.of(),
        Set.of(),
        remote,
        rate > 0 ? RateLimiterStrategy.perSecond(rate) : RateLimiterStrategy.noOp());
  }
}
