package io.stateweave.flink.translation;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.dispatcher.DispatcherSpec;
import io.stateweave.flink.dispatcher.EgressTags;
import io.stateweave.flink.ingress.IngressRecord;
import io.stateweave.flink.message.IngressRecordSerializer;
import io.stateweave.flink.module.EmbeddedFunctionsSpec;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.Context;
import io.stateweave.sdk.Message;
import io.stateweave.sdk.StatefulFunction;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.ValueSpec;
import io.stateweave.sdk.types.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FeedbackLoopTest {
  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static final TypeName INGRESS = TypeName.parse("test/chains");
  static final TypeName IDLE = TypeName.parse("test/idle");
  static final TypeName EGRESS = TypeName.parse("test/done");
  static final ConcurrentLinkedQueue<String> RESULTS = new ConcurrentLinkedQueue<>();

  /** Counts its invocations and passes the chain on to the next id until it is done. */
  public static final class Hop implements StatefulFunction {
    static final ValueSpec<Integer> SEEN = ValueSpec.named("seen").withIntType();

    @Override
    public void invoke(Context context, Message message) {
      int remaining = message.asInt();
      int seen = context.storage().get(SEEN).orElse(0) + 1;
      context.storage().set(SEEN, seen);
      if (remaining == 0) {
        context.sendEgress(EGRESS, TypedValue.of("done@" + context.self().id()));
      } else {
        int next = (Integer.parseInt(context.self().id()) * 7 + 3) % 50;
        context.send(Address.of("test/hop", Integer.toString(next)), TypedValue.of(remaining - 1));
      }
    }
  }

  @Test
  void chainsCrossSubtasksThroughTheLoop() throws Exception {
    RESULTS.clear();
    int chains = 100;
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    env.enableCheckpointing(200);
    GeneratorFunction<Long, IngressRecord> generator =
        i ->
            i < chains
                ? new IngressRecord(INGRESS, Long.toString(i % 50), TypedValue.of(20))
                : new IngressRecord(IDLE, "idle", TypedValue.of(0));
    var source =
        env.fromSource(
                new DataGeneratorSource<>(
                    generator,
                    Long.MAX_VALUE,
                    org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy
                        .perSecond(500),
                    IngressRecordSerializer.TYPE_INFO),
                WatermarkStrategy.noWatermarks(),
                "chains")
            .setParallelism(1);
    DispatcherSpec spec =
        new DispatcherSpec(
            List.of(
                new EmbeddedFunctionsSpec(
                    List.of(new EmbeddedFunctionsSpec.ClassBinding("test/hop", Hop.class.getName())),
                    List.of())),
            Set.of(EGRESS),
            Duration.ofMinutes(1));
    SingleOutputStreamOperator<?> dispatcher =
        FunctionsGraph.build(
            Map.of("chains", source), Map.of(INGRESS, List.of(TypeName.parse("test/hop")), IDLE, List.of()), spec);
    dispatcher.getSideOutput(EgressTags.of(EGRESS)).sinkTo(new QueueSink()).setParallelism(1);

    JobClient job = env.executeAsync("feedback loop test");
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (RESULTS.size() < chains && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      Thread.sleep(500);
      assertThat(new ArrayList<>(RESULTS)).hasSize(chains);
    } finally {
      job.cancel().get();
    }
  }

  static final class QueueSink implements Sink<TypedValue> {
    @Override
    public SinkWriter<TypedValue> createWriter(WriterInitContext context) {
      return new SinkWriter<>() {
        @Override
        public void write(TypedValue element, Context context) {
          RESULTS.add(element.typeName() + ":" + Types.STRING.deserialize(element.bytes()));
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }
}
