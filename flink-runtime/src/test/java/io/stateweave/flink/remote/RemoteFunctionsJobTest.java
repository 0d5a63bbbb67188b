package io.stateweave.flink.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.dispatcher.ModuleJobs;
import io.stateweave.flink.egress.CollectedEgress;
import io.stateweave.sdk.reqreply.generated.ToFunction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.statefun.sdk.java.Context;
import org.apache.flink.statefun.sdk.java.StatefulFunctionSpec;
import org.apache.flink.statefun.sdk.java.StatefulFunctions;
import org.apache.flink.statefun.sdk.java.TypeName;
import org.apache.flink.statefun.sdk.java.ValueSpec;
import org.apache.flink.statefun.sdk.java.message.EgressMessageBuilder;
import org.apache.flink.statefun.sdk.java.message.Message;
import org.apache.flink.statefun.sdk.java.message.MessageBuilder;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Remote functions of the official StateFun Java SDK, served over HTTP, in a real job: state,
 * messages between remote functions and with embedded ones, replies, delayed messages and their
 * cancellation, egress; and the batching of messages that arrive while a call is in flight.
 */
final class RemoteFunctionsJobTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static final io.stateweave.sdk.TypeName OUT = io.stateweave.sdk.TypeName.parse("test/out");
  static final TypeName SDK_OUT = TypeName.typeNameFromString("test/out");
  static final TypeName GREETER = TypeName.typeNameFromString("remote/greeter");
  static final TypeName SHOUTER = TypeName.typeNameFromString("remote/shouter");
  static final TypeName LISTENER = TypeName.typeNameFromString("remote/listener");
  static final TypeName ECHO = TypeName.typeNameFromString("test/echo");
  static final TypeName FORGETFUL = TypeName.typeNameFromString("remote/forgetful");

  private SdkServer server;

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
  void remoteFunctionsKeepStateTalkToEachOtherAndToEmbeddedFunctions() throws Exception {
    server =
        SdkServer.start(
            new StatefulFunctions()
                .withStatefulFunction(
                    StatefulFunctionSpec.builder(GREETER)
                        .withValueSpecs(Greeter.SEEN, Greeter.LAST)
                        .withSupplier(Greeter::new))
                .withStatefulFunction(
                    StatefulFunctionSpec.builder(SHOUTER).withSupplier(Shouter::new)));
    String module =
        """
        kind: io.statefun.endpoints.v2/http
        spec:
          functions: remote/*
          urlPathTemplate: %s
        ---
        kind: io.stateweave.functions.v1/java
        spec:
          functions:
            - {type: test/echo, class: %s}
        ---
        kind: io.stateweave.ingress.v1/generator
        spec:
          id: test/names
          targets: [remote/greeter]
          records: [{id: alice, value: hi}, {id: bob, value: hi}, {id: alice, value: hi}]
          count: 3
          ratePerSecond: 100
        ---
        kind: io.stateweave.egress.v1/collecting
        spec:
          id: test/out
        """
            .formatted(server.urlPathTemplate(), EmbeddedEcho.class.getName());
    JobClient job = ModuleJobs.start(module, new Configuration(), 2);
    try {
      List<String> out =
          ModuleJobs.awaitTexts(
              OUT,
              "both reminders",
              texts -> texts.stream().filter(t -> t.startsWith("reminder")).count() == 2);
      assertThat(out)
          .containsExactlyInAnyOrder(
              "shouted: HELLO ALICE 1",
              "shouted: HELLO ALICE 2",
              "shouted: HELLO BOB 1",
              "echoed: echo:ping alice 1",
              "echoed: echo:ping alice 2",
              "echoed: echo:ping bob 1",
              "reminder alice seen=2 last=ECHO:PING ALICE 2",
              "reminder bob seen=1 last=ECHO:PING BOB 1");
    } finally {
      job.cancel().get();
    }
    // state registered on demand: the very first call of the greeter came without it
    ToFunction first = server.exchanges().get(0).request();
    assertThat(server.exchanges().get(0).response().hasIncompleteInvocationContext()).isTrue();
    assertThat(first.getInvocation().getStateCount()).isZero();
    assertThat(
            server.exchanges().stream()
                .filter(e -> e.path().equals("/greeter"))
                .filter(e -> e.response().hasInvocationResult())
                .map(
                    e ->
                        e.request().getInvocation().getStateList().stream()
                            .map(ToFunction.PersistedValue::getStateName)
                            .toList()))
        .allSatisfy(names -> assertThat(names).containsExactlyInAnyOrder("seen", "last"));
  }

  @Test
  void stateTheSdkDeclaresToExpireIsGoneWhenItExpired() throws Exception {
    server =
        SdkServer.start(
            new StatefulFunctions()
                .withStatefulFunction(
                    StatefulFunctionSpec.builder(FORGETFUL)
                        .withValueSpec(Forgetful.SEEN)
                        .withSupplier(Forgetful::new)));
    // one message a second; the count expires 600 ms after it was written
    String module =
        """
        kind: io.statefun.endpoints.v2/http
        spec:
          functions: remote/*
          urlPathTemplate: %s
        ---
        kind: io.stateweave.ingress.v1/generator
        spec:
          id: test/ticks
          targets: [remote/forgetful]
          records: [{id: x, value: tick}]
          count: 3
          ratePerSecond: 1
        ---
        kind: io.stateweave.egress.v1/collecting
        spec:
          id: test/out
        """
            .formatted(server.urlPathTemplate());
    JobClient job = ModuleJobs.start(module, new Configuration(), 1);
    try {
      assertThat(ModuleJobs.awaitTexts(OUT, "three counts", texts -> texts.size() == 3))
          .containsExactly("x seen=1", "x seen=1", "x seen=1");
    } finally {
      job.cancel().get();
    }
  }

  @Test
  void messagesArrivingDuringACallAreBatchedInArrivalOrder() throws Exception {
    int messages = 40;
    int maxBatch = 4;
    server =
        SdkServer.start(
            new StatefulFunctions()
                .withStatefulFunction(
                    StatefulFunctionSpec.builder(LISTENER)
                        .withValueSpec(Listener.HEARD)
                        .withSupplier(Listener::new)));
    // the first call is slow, so the address's next messages pile up behind it
    server.fault(
        (number, request) -> {
          if (number == 1) {
            Thread.sleep(1000);
          }
          return null;
        });
    String module =
        """
        kind: io.statefun.endpoints.v2/http
        spec:
          functions: remote/listener
          urlPathTemplate: %s
          maxNumBatchRequests: %d
        ---
        kind: io.stateweave.ingress.v1/generator
        spec:
          id: test/words
          targets: [remote/listener]
          records: [%s]
          count: %d
          ratePerSecond: 200
        ---
        kind: io.stateweave.egress.v1/collecting
        spec:
          id: test/out
        """
            .formatted(
                server.urlPathTemplate(),
                maxBatch,
                String.join(
                    ", ",
                    IntStream.range(0, messages)
                        .mapToObj(i -> "{id: k, value: m" + i + "}")
                        .toList()),
                messages);
    List<String> expected = IntStream.range(0, messages).mapToObj(i -> "m" + i).toList();
    JobClient job = ModuleJobs.start(module, new Configuration(), 2);
    try {
      List<String> out =
          ModuleJobs.awaitTexts(OUT, "every message", texts -> texts.size() >= messages);
      assertThat(out)
          .containsExactlyElementsOf(expected.stream().map(m -> "k heard " + m).toList());
    } finally {
      job.cancel().get();
    }
    List<List<String>> batches = new ArrayList<>();
    for (SdkServer.Exchange exchange : server.exchanges()) {
      if (exchange.response().hasInvocationResult()) {
        batches.add(
            exchange.request().getInvocation().getInvocationsList().stream()
                .map(invocation -> invocation.getArgument().getValue())
                .map(RemoteFunctionsJobTest::sdkString)
                .toList());
      }
    }
    assertThat(batches).allSatisfy(batch -> assertThat(batch).hasSizeBetween(1, maxBatch));
    assertThat(batches).anySatisfy(batch -> assertThat(batch).hasSize(maxBatch));
    assertThat(batches.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(expected);
  }

  /** Decodes a string the way the SDKs encode {@code io.statefun.types/string}. */
  static String sdkString(com.google.protobuf.ByteString bytes) {
    return io.stateweave.sdk.types.Types.STRING.deserialize(bytes.toByteArray());
  }

  /**
   * {@code remote/greeter}: counts the greetings per address, asks the shouter (which replies) and
   * the embedded echo function (which replies too), reports both answers, and sends itself a
   * reminder and a message it cancels on the shouter's first answer.
   */
  static final class Greeter implements org.apache.flink.statefun.sdk.java.StatefulFunction {
    static final ValueSpec<Integer> SEEN =
        ValueSpec.named("seen").thatExpireAfterWrite(Duration.ofMinutes(10)).withIntType();
    static final ValueSpec<String> LAST =
        ValueSpec.named("last").thatExpiresAfterCall(Duration.ofMinutes(10)).withUtf8StringType();

    @Override
    public CompletableFuture<Void> apply(Context context, Message message) {
      String id = context.self().id();
      TypeName from = context.caller().map(caller -> caller.type()).orElse(null);
      String text = message.asUtf8String();
      if (from == null) {
        int seen = context.storage().get(SEEN).orElse(0) + 1;
        context.storage().set(SEEN, seen);
        context.send(
            MessageBuilder.forAddress(SHOUTER, id).withValue("hello " + id + " " + seen).build());
        context.send(
            MessageBuilder.forAddress(ECHO, id).withValue("ping " + id + " " + seen).build());
        if (seen == 1) {
          context.sendAfter(
              Duration.ofMillis(1500),
              "cancel-" + id,
              MessageBuilder.forAddress(GREETER, id).withValue("cancelled").build());
          context.sendAfter(
              Duration.ofMillis(3000),
              MessageBuilder.forAddress(GREETER, id).withValue("reminder").build());
        }
      } else if (from.equals(SHOUTER)) {
        egress(context, "shouted: " + text);
        context.cancelDelayedMessage("cancel-" + id);
      } else if (from.equals(ECHO)) {
        egress(context, "echoed: " + text);
        context.storage().set(LAST, text.toUpperCase());
      } else {
        egress(
            context,
            text
                + " "
                + id
                + " seen="
                + context.storage().get(SEEN).orElse(0)
                + " last="
                + context.storage().get(LAST).orElse("?"));
      }
      return context.done();
    }
  }

  /** {@code remote/shouter}: replies to its caller in capitals. */
  static final class Shouter implements org.apache.flink.statefun.sdk.java.StatefulFunction {
    @Override
    public CompletableFuture<Void> apply(Context context, Message message) {
      context.send(
          MessageBuilder.forAddress(context.caller().orElseThrow())
              .withValue(message.asUtf8String().toUpperCase())
              .build());
      return context.done();
    }
  }

  /** {@code remote/listener}: reports every word it hears and keeps the last one. */
  static final class Listener implements org.apache.flink.statefun.sdk.java.StatefulFunction {
    static final ValueSpec<String> HEARD = ValueSpec.named("heard").withUtf8StringType();

    @Override
    public CompletableFuture<Void> apply(Context context, Message message) {
      context.storage().set(HEARD, message.asUtf8String());
      egress(context, context.self().id() + " heard " + message.asUtf8String());
      return context.done();
    }
  }

  /** Counts its messages in a state that expires 600 ms after it was written. */
  static final class Forgetful implements org.apache.flink.statefun.sdk.java.StatefulFunction {
    static final ValueSpec<Integer> SEEN =
        ValueSpec.named("seen").thatExpireAfterWrite(Duration.ofMillis(600)).withIntType();

    @Override
    public CompletableFuture<Void> apply(Context context, Message message) {
      int seen = context.storage().get(SEEN).orElse(0) + 1;
      context.storage().set(SEEN, seen);
      egress(context, context.self().id() + " seen=" + seen);
      return context.done();
    }
  }

  static void egress(Context context, String text) {
    context.send(EgressMessageBuilder.forEgress(SDK_OUT).withValue(text).build());
  }

  /** {@code test/echo}, embedded: replies {@code echo:<text>} to its caller. */
  public static final class EmbeddedEcho implements io.stateweave.sdk.StatefulFunction {
    @Override
    public void invoke(io.stateweave.sdk.Context context, io.stateweave.sdk.Message message) {
      context.reply(io.stateweave.sdk.TypedValue.of("echo:" + message.asString()));
    }
  }
}
