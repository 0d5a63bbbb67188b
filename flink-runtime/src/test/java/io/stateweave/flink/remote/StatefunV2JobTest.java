package io.stateweave.flink.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.stateweave.flink.dispatcher.ModuleJobs;
import io.stateweave.flink.egress.CollectedEgress;
import io.stateweave.flink.remote.v2.examples.Count;
import io.stateweave.flink.remote.v2.examples.GreetRequest;
import io.stateweave.flink.remote.v2.examples.GreetResponse;
import io.stateweave.flink.remote.v2.generated.ToFunction;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.Context;
import io.stateweave.sdk.Message;
import io.stateweave.sdk.StatefulFunction;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.kafka.generated.KafkaProducerRecord;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A StateFun 2.x application in a real job: its module.yaml as 2.0 wrote it and the seeds'
 * functions answering as the 2.x Python SDK does, with state declared in the module, Kafka egress
 * records, typed dispatch, messages between 2.x functions and delayed messages.
 */
final class StatefunV2JobTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static final TypeName OUT = TypeName.parse(SeedFunctionsV2.OUT);
  static final TypeName GREETS = TypeName.parse("example/greets");
  static final TypeName GREETER = TypeName.parse("example/greeter");
  static final TypeName CALLER = TypeName.parse("example/caller");

  private PythonSdkV2Server server;

  @BeforeEach
  void reset() {
    CollectedEgress.clear();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    CollectedEgress.clear();
  }

  @Test
  void theSeedsFunctionsRunFromAStatefun20Module() throws Exception {
    server = PythonSdkV2Server.start(SeedFunctionsV2.all());
    Map<String, String> files = new LinkedHashMap<>();
    files.put(
        "statefun-2.0/module.yaml",
        """
        version: "1.0"
        module:
          meta:
            type: remote
          spec:
            functions:
              - function:
                  meta:
                    kind: http
                    type: example/greeter
                  spec:
                    endpoint: %s
                    states:
                      - seen_count
                    maxNumBatchRequests: 500
                    timeout: 2min
              - function:
                  meta: {kind: http, type: example/caller}
                  spec: {endpoint: %s}
              - function:
                  meta: {kind: http, type: example/hello}
                  spec: {endpoint: %s, states: [count]}
              - function:
                  meta: {kind: http, type: example/goodbye}
                  spec: {endpoint: %s}
        """
            .formatted(
                server.url("/statefun"),
                server.url("/statefun"),
                server.url("/statefun"),
                server.url("/statefun")));
    files.put("stateweave.yaml", driverModule());
    JobClient job = ModuleJobs.start(files, new Configuration(), 2);
    try {
      List<String> greets = await(GREETS, 3, StatefunV2JobTest::kafkaRecord);
      List<String> out = await(OUT, 9, StatefunV2JobTest::greeting);

      assertThat(greets)
          .containsExactlyInAnyOrder(
              "greetings alice: Welcome alice",
              "greetings bob: Welcome bob",
              "greetings alice: Nice to see you again alice");
      assertThat(out)
          .containsExactlyInAnyOrder(
              "Seth: Hello Seth",
              "Seth: Hello again!",
              "Seth: Third time's the charm",
              "Seth: Goodbye user",
              "Seth: Goodbye user",
              "Seth: Goodbye user",
              "root: Goodbye Admin",
              "root: Goodbye Admin",
              "root: Goodbye Admin");
    } finally {
      job.cancel().get();
    }
    // every call carries the declared state, empty until set: no call asks for it
    List<ToFunction.InvocationBatchRequest> greeterCalls =
        server.exchanges().stream()
            .map(exchange -> exchange.request().getInvocation())
            .filter(call -> call.getTarget().getType().equals("greeter"))
            .toList();
    assertThat(greeterCalls)
        .allSatisfy(
            call ->
                assertThat(call.getStateList())
                    .extracting(ToFunction.PersistedValue::getStateName)
                    .containsExactly("seen_count"));
    assertThat(
            greeterCalls.stream()
                .filter(call -> call.getTarget().getId().equals("bob"))
                .map(call -> call.getState(0).getStateValue().isEmpty())
                .toList())
        .containsExactly(true);
    assertThat(server.exchanges()).allSatisfy(e -> assertThat(e.response()).isNotNull());
  }

  /**
   * 2.2's expireAfter: a count left alone for longer than that is gone at the next call, while a
   * state without it stays. The function calls itself again a second later, twice.
   */
  @Test
  void aDeclaredStateExpiresAfterTheAddressWasLastInvoked() throws Exception {
    server =
        PythonSdkV2Server.start(
            PythonSdkV2.functions()
                .bind(
                    "v2/counter",
                    (context, message) -> {
                      int count = next(context, "count");
                      int total = next(context, "total");
                      SeedFunctionsV2.out(context, "x", "n=" + count + " total=" + total);
                      if (total < 3) {
                        context.sendAfter(Duration.ofSeconds(1), "v2/counter", "x", (Any) message);
                      }
                    }));
    Map<String, String> files = new LinkedHashMap<>();
    files.put(
        "statefun-2.2/module.yaml",
        """
        version: "2.0"
        module:
          meta: {type: remote}
          spec:
            functions:
              - function:
                  meta: {kind: http, type: v2/counter}
                  spec:
                    endpoint: %s
                    states:
                      - {name: count, expireAfter: 600ms}
                      - {name: total}
        """
            .formatted(server.url("/statefun")));
    files.put(
        "stateweave.yaml",
        """
        kind: io.stateweave.ingress.v1/generator
        spec:
          id: test/ticks
          targets: [v2/counter]
          records: [{id: x, value: tick}]
          count: 1
        ---
        kind: io.stateweave.egress.v1/collecting
        spec:
          id: test/out
        """);
    JobClient job = ModuleJobs.start(files, new Configuration(), 1);
    try {
      assertThat(await(OUT, 3, StatefunV2JobTest::greeting))
          .containsExactly("x: n=1 total=1", "x: n=1 total=2", "x: n=1 total=3");
    } finally {
      job.cancel().get();
    }
  }

  /** Counts in a state holding a packed Count, as the seeds' count greeter does. */
  private static int next(PythonSdkV2.Context context, String state) throws Exception {
    Any value = context.get(state);
    int count = value == null ? 1 : value.unpack(Count.class).getValue() + 1;
    context.set(state, Any.pack(Count.newBuilder().setValue(count).build()));
    return count;
  }

  /** The generator's names go to the embedded driver, which sends them on as 2.x messages. */
  static String driverModule() {
    return """
           kind: io.stateweave.functions.v1/java
           spec:
             functions:
               - {type: test/driver, class: %s}
           ---
           kind: io.stateweave.ingress.v1/generator
           spec:
             id: test/names
             targets: [test/driver]
             records: [{id: alice, value: alice}, {id: bob, value: bob}, {id: alice, value: alice}]
             count: 3
             ratePerSecond: 100
           ---
           kind: io.stateweave.egress.v1/collecting
           spec:
             id: example/greets
           ---
           kind: io.stateweave.egress.v1/collecting
           spec:
             id: test/out
           """
        .formatted(Driver.class.getName());
  }

  /** A GreetRequest for the greeter, and the name as a string for the caller. */
  public static final class Driver implements StatefulFunction {
    @Override
    public void invoke(Context context, Message message) {
      String name = message.asString();
      context.packAndSend(
          new Address(GREETER, context.self().id()),
          GreetRequest.newBuilder().setName(name).build());
      context.send(new Address(CALLER, context.self().id()), TypedValue.of(name));
    }
  }

  static List<String> await(TypeName egress, int count, Function<TypedValue, String> text)
      throws InterruptedException {
    long deadline = System.nanoTime() + ModuleJobs.PATIENCE.toNanos();
    List<TypedValue> records = CollectedEgress.records(egress);
    while (records.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + count + " records of " + egress);
      }
      Thread.sleep(50);
      records = CollectedEgress.records(egress);
    }
    return records.stream().map(text).toList();
  }

  static String kafkaRecord(TypedValue value) {
    assertThat(value.typeName().canonical())
        .isEqualTo("type.googleapis.com/io.statefun.sdk.egress.KafkaProducerRecord");
    try {
      KafkaProducerRecord record = KafkaProducerRecord.parseFrom(value.bytes());
      return record.getTopic()
          + " "
          + record.getKey()
          + ": "
          + GreetResponse.parseFrom(record.getValueBytes()).getGreeting();
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  static String greeting(TypedValue value) {
    assertThat(value.typeName().canonical()).isEqualTo("type.googleapis.com/example.GreetResponse");
    try {
      GreetResponse response = GreetResponse.parseFrom(value.bytes());
      return response.getName() + ": " + response.getGreeting();
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
