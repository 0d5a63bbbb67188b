package io.stateweave.examples;

import static org.apache.flink.api.common.typeinfo.Types.STRING;

import io.stateweave.flink.api.RoutableMessage;
import io.stateweave.flink.api.StatefulFunctionsBuilder;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.TypedValue;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Stateful functions inside a DataStream program of one's own: a stream of visits (from a
 * generator here; from Kafka or anywhere in a real program) goes to {@link Counter}, which counts
 * each visitor's visits, and its egress comes back as a stream into the program's own sink.
 *
 * <pre>{@code mvn -B -q -pl jobs exec:exec -Dstateweave.main=io.stateweave.examples.CountingProgram}</pre>
 */
public final class CountingProgram {
  private static final String[] VISITORS = {"ada", "grace", "alan"};

  private CountingProgram() {}

  /** The functions' part of the program: visits in, "{@code <visitor> <count>}" out. */
  public static DataStream<String> countVisits(
      StreamExecutionEnvironment env, DataStream<String> visits) {
    return StatefulFunctionsBuilder.on(env)
        .withFunction(Counter.TYPE, Counter::new)
        .withIngress(
            "visits",
            visits,
            visitor -> new RoutableMessage(new Address(Counter.TYPE, visitor), TypedValue.of(visitor)))
        .withEgress(Counter.COUNTS)
        .build()
        .egress(Counter.COUNTS, String.class);
  }

  public static void main(String[] args) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.enableCheckpointing(10_000);
    DataStream<String> visits =
        env.fromSource(
            new DataGeneratorSource<>(index -> VISITORS[(int) (index % VISITORS.length)], 30, STRING),
            WatermarkStrategy.noWatermarks(),
            "visits");
    countVisits(env, visits).print();
    env.execute("counting program");
  }
}
