package io.stateweave.flink.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.stateweave.flink.dispatcher.ModuleJobs;
import io.stateweave.flink.egress.CollectedEgress;
import io.stateweave.flink.remote.v2.examples.Count;
import io.stateweave.flink.remote.v2.examples.GreetResponse;
import io.stateweave.flink.remote.v2.examples.User;
import io.stateweave.flink.testing.Jobs;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.Context;
import io.stateweave.sdk.Message;
import io.stateweave.sdk.StatefulFunction;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.statefun.sdk.java.StatefulFunctionSpec;
import org.apache.flink.statefun.sdk.java.StatefulFunctions;
import org.apache.flink.statefun.sdk.java.ValueSpec;
import org.apache.flink.statefun.sdk.java.message.MessageBuilder;
import org.apache.flink.statefun.sdk.java.types.SimpleType;
import org.apache.flink.statefun.sdk.java.types.Type;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One job of three generations messaging each other both ways: a StateFun 2.x function (its module
 * file as 2.2 wrote it, {@code Any} messages), a 3.x remote function of the official Java SDK, and
 * embedded functions. A protobuf message keeps its type URL as its type name and back, a 3.x
 * primitive reaches a 2.x function as an {@code Any} of the primitive's type name and comes back
 * out unchanged.
 */
final class StatefunMixedGenerationsJobTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static final TypeName OUT = TypeName.parse("test/out");
  static final TypeName RELAY = TypeName.parse("v2/relay");
  static final TypeName PRINTER = TypeName.parse("test/printer");

  private PythonSdkV2Server v2;
  private SdkServer v3;

  @BeforeEach
  void reset() {
    CollectedEgress.clear();
  }

  @AfterEach
  void stop() {
    if (v2 != null) {
      v2.close();
    }
    if (v3 != null) {
      v3.close();
    }
    CollectedEgress.clear();
  }

  @Test
  void v2V3AndEmbeddedFunctionsMessageEachOtherBothWays() throws Exception {
    v2 = PythonSdkV2Server.start(PythonSdkV2.functions().bind("v2/relay", Relay::invoke));
    v3 =
        SdkServer.start(
            new StatefulFunctions()
                .withStatefulFunction(
                    StatefulFunctionSpec.builder(RemoteHello.TYPE)
                        .withValueSpec(RemoteHello.SEEN)
                        .withSupplier(RemoteHello::new)));
    Map<String, String> files = files(3, 100, "");
    JobClient job = ModuleJobs.start(files, new Configuration(), 2);
    try {
      assertThat(ModuleJobs.awaitTexts(OUT, "six records", texts -> texts.size() == 6))
          .containsExactlyInAnyOrder(
              "printer: Hello alice #1 (relay heard 1)",
              "printed Hello alice #1",
              "printer: Hello bob #1 (relay heard 1)",
              "printed Hello bob #1",
              "printer: Hello alice #2 (relay heard 2)",
              "printed Hello alice #2");
      // the string the printer replied went through the 2.x relay as an Any and came out as it was
      assertThat(CollectedEgress.records(OUT))
          .extracting(record -> record.typeName().canonical())
          .containsOnly("io.statefun.types/string");
    } finally {
      job.cancel().get();
    }
  }

  @Test
  void aFailureInTheMiddleLosesAndDoublesNothing(@InjectMiniCluster MiniCluster cluster)
      throws Exception {
    Relay.ANSWERS_HEARD.set(0);
    v2 = PythonSdkV2Server.start(PythonSdkV2.functions().bind("v2/relay", Relay::invoke));
    v3 =
        SdkServer.start(
            new StatefulFunctions()
                .withStatefulFunction(
                    StatefulFunctionSpec.builder(RemoteHello.TYPE)
                        .withValueSpec(RemoteHello.SEEN)
                        .withSupplier(RemoteHello::new)));
    Map<String, String> files =
        files(
            6,
            4,
            """
            ---
            kind: io.stateweave.functions.v1/java
            spec:
              functions:
                - {type: test/bomb, class: %s}
            ---
            kind: io.stateweave.ingress.v1/generator
            spec:
              id: test/ticks
              targets: [test/bomb]
              records: [{id: t, value: tick}]
              ratePerSecond: 20
            """
                .formatted(Bomb.class.getName()));
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
    JobClient job = ModuleJobs.start(files, conf, 2);
    try {
      ModuleJobs.awaitTexts(OUT, "twelve records", texts -> texts.size() >= 12);
      Thread.sleep(1000); // a doubled record would show up by now
      assertThat(ModuleJobs.texts(OUT))
          .containsExactlyInAnyOrder(
              "printer: Hello alice #1 (relay heard 1)",
              "printed Hello alice #1",
              "printer: Hello bob #1 (relay heard 1)",
              "printed Hello bob #1",
              "printer: Hello alice #2 (relay heard 2)",
              "printed Hello alice #2",
              "printer: Hello alice #3 (relay heard 3)",
              "printed Hello alice #3",
              "printer: Hello bob #2 (relay heard 2)",
              "printed Hello bob #2",
              "printer: Hello alice #4 (relay heard 4)",
              "printed Hello alice #4");
      assertThat(Bomb.THROWN).isTrue();
      assertThat(Jobs.restoredCheckpoints(cluster, job.getJobID())).isPositive();
    } finally {
      job.cancel().get();
    }
  }

  /** Fails its task once, when the relay heard its second answer: in the middle of the run. */
  public static final class Bomb implements StatefulFunction {
    static final AtomicBoolean THROWN = new AtomicBoolean();

    @Override
    public void invoke(Context context, Message message) {
      if (Relay.ANSWERS_HEARD.get() >= 2 && THROWN.compareAndSet(false, true)) {
        throw new IllegalStateException("injected failure between the generations' messages");
      }
    }
  }

  /**
   * The 2.2 module of the relay, and the rest: names alice, bob, alice, ..., {@code count} at
   * {@code rate} per second; {@code more} documents.
   */
  private Map<String, String> files(int count, int rate, String more) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put(
        "statefun-2.2/module.yaml",
        """
        version: "2.0"
        module:
          meta:
            type: remote
          spec:
            functions:
              - function:
                  meta:
                    kind: http
                    type: v2/relay
                  spec:
                    endpoint: %s
                    states:
                      - name: heard
                        expireAfter: 1h
        """
            .formatted(v2.url("/statefun")));
    files.put(
        "stateweave.yaml",
        """
        kind: io.statefun.endpoints.v2/http
        spec:
          functions: remote/*
          urlPathTemplate: %s
        ---
        kind: io.stateweave.functions.v1/java
        spec:
          functions:
            - {type: test/driver, class: %s}
            - {type: test/printer, class: %s}
        ---
        kind: io.stateweave.ingress.v1/generator
        spec:
          id: test/names
          targets: [test/driver]
          records: [{id: alice, value: alice}, {id: bob, value: bob}, {id: alice, value: alice}]
          count: %d
          ratePerSecond: %d
        ---
        kind: io.stateweave.egress.v1/collecting
        spec:
          id: test/out
        %s"""
            .formatted(
                v3.urlPathTemplate(),
                Driver.class.getName(),
                Printer.class.getName(),
                count,
                rate,
                more));
    return files;
  }

  /** Embedded: each generated name to the 2.x relay, as a User. */
  public static final class Driver implements StatefulFunction {
    @Override
    public void invoke(Context context, Message message) {
      String id = context.self().id();
      context.packAndSend(
          new Address(RELAY, id),
          User.newBuilder().setUserId(id).setName(message.asString()).build());
    }
  }

  /**
   * 2.x, as the Python SDK hands it an {@code Any}: a User goes on to the 3.x function, its
   * GreetResponse to the embedded printer (with the count of answers heard, in state), and the
   * printer's string reply, an {@code Any} of {@code io.statefun.types/string}, to the egress.
   */
  static final class Relay {
    /** Answers the relay was given, over all attempts, for the bomb to time its failure. */
    static final AtomicInteger ANSWERS_HEARD = new AtomicInteger();

    static void invoke(PythonSdkV2.Context context, Object message) throws Exception {
      Any any = (Any) message;
      String id = context.address().getId();
      if (any.is(User.class)) {
        context.send("remote/hello", id, any);
      } else if (any.is(GreetResponse.class)) {
        ANSWERS_HEARD.incrementAndGet();
        Any state = context.get("heard");
        int heard = state == null ? 1 : state.unpack(Count.class).getValue() + 1;
        context.set("heard", Any.pack(Count.newBuilder().setValue(heard).build()));
        GreetResponse response = any.unpack(GreetResponse.class);
        context.packAndSend(
            "test/printer",
            id,
            response.toBuilder()
                .setGreeting(response.getGreeting() + " (relay heard " + heard + ")")
                .build());
      } else {
        context.sendEgress("test/out", any);
      }
    }
  }

  /** 3.x, official Java SDK: counts the User's visits and replies with a GreetResponse. */
  static final class RemoteHello implements org.apache.flink.statefun.sdk.java.StatefulFunction {
    static final org.apache.flink.statefun.sdk.java.TypeName TYPE =
        org.apache.flink.statefun.sdk.java.TypeName.typeNameFromString("remote/hello");
    static final ValueSpec<Integer> SEEN = ValueSpec.named("seen").withIntType();
    static final Type<User> USER =
        SimpleType.simpleImmutableTypeFrom(
            org.apache.flink.statefun.sdk.java.TypeName.typeNameFromString(
                "type.googleapis.com/example.User"),
            User::toByteArray,
            User::parseFrom);
    static final Type<GreetResponse> RESPONSE =
        SimpleType.simpleImmutableTypeFrom(
            org.apache.flink.statefun.sdk.java.TypeName.typeNameFromString(
                "type.googleapis.com/example.GreetResponse"),
            GreetResponse::toByteArray,
            GreetResponse::parseFrom);

    @Override
    public CompletableFuture<Void> apply(
        org.apache.flink.statefun.sdk.java.Context context,
        org.apache.flink.statefun.sdk.java.message.Message message) {
      User user = message.as(USER);
      int seen = context.storage().get(SEEN).orElse(0) + 1;
      context.storage().set(SEEN, seen);
      context.send(
          MessageBuilder.forAddress(context.caller().orElseThrow())
              .withCustomType(
                  RESPONSE,
                  GreetResponse.newBuilder()
                      .setName(user.getName())
                      .setGreeting("Hello " + user.getName() + " #" + seen)
                      .build())
              .build());
      return context.done();
    }
  }

  /** Embedded: prints the 2.x relay's GreetResponse to the egress and replies with a string. */
  public static final class Printer implements StatefulFunction {
    @Override
    public void invoke(Context context, Message message) {
      GreetResponse response = message.unpack(GreetResponse.class);
      context.sendEgress(OUT, TypedValue.of("printer: " + response.getGreeting()));
      String greeting = response.getGreeting();
      context.reply(TypedValue.of("printed " + greeting.substring(0, greeting.indexOf(" ("))));
    }
  }
}
