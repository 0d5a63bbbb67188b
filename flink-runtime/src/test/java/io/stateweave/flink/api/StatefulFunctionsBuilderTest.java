package io.stateweave.flink.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.flink.module.ModuleLoader;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.Context;
import io.stateweave.sdk.Message;
import io.stateweave.sdk.StatefulFunction;
import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.ValueSpec;
import io.stateweave.sdk.types.Types;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Stateful functions inside a user's DataStream program, as the library's user writes them. */
// the collecting iterator does not give up on an interrupt: the test thread is abandoned instead
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StatefulFunctionsBuilderTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static final TypeName STOCK = TypeName.parse("shop/stock");
  static final TypeName ALERTS = TypeName.parse("shop/alerts");
  static final ValueSpec<Integer> LEVEL = ValueSpec.named("level").withIntType();

  /** Keeps a stock level per item: orders take from it; an item that runs out is reported. */
  static final class Stock implements StatefulFunction {
    @Override
    public void invoke(Context context, Message message) {
      int level = context.storage().get(LEVEL).orElse(3) - message.asInt();
      context.storage().set(LEVEL, level);
      if (level <= 0) {
        context.sendEgress(ALERTS, TypedValue.of(context.self().id() + " is out at " + level));
      }
    }
  }

  record Order(String item, int quantity) {}

  @Test
  void aProgramsStreamFeedsFunctionsWhoseEgressGoesToTheProgramsSink() throws Exception {
    StreamExecutionEnvironment env = environment();
    DataStream<Order> orders =
        env.fromData(
            new Order("pen", 1), new Order("ink", 2), new Order("pen", 2), new Order("ink", 2));

    StatefulFunctionsStreams functions =
        StatefulFunctionsBuilder.on(env)
            .withFunctions(() -> new StatefulFunctions().bind(STOCK.canonical(), new Stock(), LEVEL))
            .withIngress(
                "orders",
                orders,
                order ->
                    new RoutableMessage(
                        new Address(STOCK, order.item()), TypedValue.of(order.quantity())))
            .withEgress(ALERTS)
            .build();

    List<String> alerts = collect(env, functions.egress(ALERTS, String.class), 2);
    assertThat(alerts).containsExactlyInAnyOrder("pen is out at 0", "ink is out at -1");
    // the library left the program's settings alone
    assertThat(env.getConfig().isObjectReuseEnabled()).isFalse();
  }

  @Test
  void aModulesFunctionsAndIngressesRunBesideTheProgramsOwn() throws Exception {
    StreamExecutionEnvironment env = environment();
    String module =
        """
        kind: io.stateweave.ingress.v1/generator
        spec:
          id: shop/restock
          targets: [shop/stock]
          valueType: io.statefun.types/int
          records: [{id: pen, value: "-5"}]
          count: 1
        """;

    StatefulFunctionsStreams functions =
        StatefulFunctionsBuilder.on(env)
            .withModule(ModuleLoader.parse(module, "restock.yaml"))
            .withFunction(STOCK, Stock::new)
            .withEgress(ALERTS)
            .withIngress(
                "orders",
                env.fromData(new Order("pen", 10)),
                order ->
                    new RoutableMessage(
                        new Address(STOCK, order.item()), TypedValue.of(order.quantity())))
            .build();

    // both arrive in some order: restocked 3+5 then minus 10, or 3-10 then +5
    List<String> alerts =
        collect(env, functions.egress(ALERTS), 1).stream()
            .map(record -> Types.STRING.deserialize(record.bytes()))
            .toList();
    assertThat(alerts).containsAnyOf("pen is out at -2", "pen is out at -7");
  }

  @Test
  void anEgressTheProgramDidNotAddIsNamed() {
    StreamExecutionEnvironment env = environment();
    StatefulFunctionsStreams functions =
        StatefulFunctionsBuilder.on(env)
            .withFunction(STOCK, Stock::new)
            .withEgress(ALERTS)
            .withIngress(
                "orders",
                env.fromData(new Order("pen", 1)),
                order -> new RoutableMessage(new Address(STOCK, order.item()), TypedValue.of(1)))
            .build();

    assertThatThrownBy(() -> functions.egress(TypeName.parse("shop/other")))
        .hasMessage("Egress shop/other was not added with withEgress; added: [shop/alerts]");
  }

  @Test
  void aSecondSetOfFunctionsInTheSameProgramIsRefused() {
    StreamExecutionEnvironment env = environment();
    Router<Order> router =
        order -> new RoutableMessage(new Address(STOCK, order.item()), TypedValue.of(1));
    StatefulFunctionsBuilder.on(env)
        .withFunction(STOCK, Stock::new)
        .withIngress("orders", env.fromData(new Order("pen", 1)), router)
        .build();

    assertThatThrownBy(
            () ->
                StatefulFunctionsBuilder.on(env)
                    .withFunction(STOCK, Stock::new)
                    .withIngress("more-orders", env.fromData(new Order("ink", 1)), router)
                    .build())
        .hasMessageStartingWith("This program already has Stateweave's functions");
  }

  private static StreamExecutionEnvironment environment() {
    Configuration config = new Configuration();
    config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, java.time.Duration.ofMillis(200));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    env.setParallelism(2);
    return env;
  }

  /** The program's own sink: the first {@code n} records, then the job is cancelled. */
  private static <T> List<T> collect(
      StreamExecutionEnvironment env, DataStream<T> records, int n) throws Exception {
    CloseableIterator<T> iterator = records.collectAsync();
    JobClient job = env.executeAsync("library");
    List<T> collected = new ArrayList<>();
    try {
      while (collected.size() < n && iterator.hasNext()) {
        collected.add(iterator.next());
      }
    } finally {
      job.cancel().get();
      iterator.close();
    }
    return collected;
  }
}
