package io.stateweave.flink.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.dispatcher.ModuleJobs;
import io.stateweave.flink.egress.CollectedEgress;
import io.stateweave.flink.ingress.DeadLetter;
import io.stateweave.flink.testing.Jobs;
import io.stateweave.sdk.types.Types;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.statefun.sdk.java.Context;
import org.apache.flink.statefun.sdk.java.StatefulFunction;
import org.apache.flink.statefun.sdk.java.StatefulFunctionSpec;
import org.apache.flink.statefun.sdk.java.StatefulFunctions;
import org.apache.flink.statefun.sdk.java.TypeName;
import org.apache.flink.statefun.sdk.java.ValueSpec;
import org.apache.flink.statefun.sdk.java.message.EgressMessageBuilder;
import org.apache.flink.statefun.sdk.java.message.Message;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A remote function's endpoint fails: errors and timeouts are retried without losing or repeating
 * an effect; an endpoint that stays down fails the job, or sends the messages to the dead-letter
 * egress while the other addresses carry on, as configured.
 */
final class RemoteFunctionFaultsTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static final io.stateweave.sdk.TypeName OUT = io.stateweave.sdk.TypeName.parse("test/out");
  static final io.stateweave.sdk.TypeName DEAD = io.stateweave.sdk.TypeName.parse("test/dead");

  private SdkServer server;

  @BeforeEach
  void start() throws Exception {
    CollectedEgress.clear();
    server =
        SdkServer.start(
            new StatefulFunctions()
                .withStatefulFunction(
                    StatefulFunctionSpec.builder(TypeName.typeNameFromString("remote/counter"))
                        .withValueSpec(Counter.COUNT)
                        .withSupplier(Counter::new)));
  }

  @AfterEach
  void stop() {
    server.close();
    CollectedEgress.clear();
  }

  @Test
  void errorsAndTimeoutsAreRetriedUntilTheEndpointRecovers() throws Exception {
    server.fault(
        (number, request) -> {
          if (number <= 2) {
            return 500;
          }
          if (number == 3) {
            Thread.sleep(1500); // beyond the call timeout: the client gives up on this attempt
          }
          return null;
        });
    Configuration conf = retries(5);
    JobClient job = ModuleJobs.start(module("remote/*", server.urlPathTemplate()), conf, 2);
    try {
      List<String> out = ModuleJobs.awaitTexts(OUT, "three counts", texts -> texts.size() >= 3);
      Thread.sleep(500); // a duplicate would show up by now
      assertThat(ModuleJobs.texts(OUT))
          .containsExactlyInAnyOrder("a x n=1", "b y n=1", "a z n=2")
          .hasSize(out.size());
    } finally {
      job.cancel().get();
    }
    assertThat(server.requests()).isGreaterThan(server.exchanges().size());
  }

  @Test
  void anEndpointThatStaysDownFailsTheJobNamingFunctionAddressAndEndpoint() throws Exception {
    String dead = SdkServer.deadUrlPathTemplate();
    Configuration conf = retries(2);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    JobClient job = ModuleJobs.start(module("remote/*", dead), conf, 1);
    List<String> messages = ModuleJobs.messages(ModuleJobs.failure(job));
    String url = dead.replace("{function.name}", "counter");
    assertThat(messages)
        .anySatisfy(
            message ->
                assertThat(message)
                    .contains("Remote function remote/counter (id '")
                    .contains(url)
                    .contains("failed after 3 attempts")
                    .contains("ConnectException"));
  }

  @Test
  void anEndpointThatStaysDownSendsItsMessagesToTheDeadLetterEgress() throws Exception {
    String dead = SdkServer.deadUrlPathTemplate();
    Configuration conf = retries(1);
    conf.setString("stateweave.remote.on-failure", "dead-letter");
    conf.setString("stateweave.dead-letter-egress", DEAD.canonical());
    String module =
        """
        kind: io.statefun.endpoints.v2/http
        spec:
          functions: down/*
          urlPathTemplate: %s
        ---
        kind: io.stateweave.ingress.v1/generator
        spec:
          id: test/down
          targets: [down/counter]
          records: [{id: a, value: x}, {id: a, value: y}, {id: b, value: z}]
          count: 3
        ---
        kind: io.stateweave.egress.v1/collecting
        spec:
          id: test/dead
        ---
        """
                .formatted(dead)
            + module("remote/*", server.urlPathTemplate());
    JobClient job = ModuleJobs.start(module, conf, 2);
    try {
      ModuleJobs.awaitTexts(OUT, "the live function's counts", texts -> texts.size() >= 3);
      Jobs.await(
          "three dead letters",
          ModuleJobs.PATIENCE,
          () -> CollectedEgress.records(DEAD).size() >= 3);
      List<DeadLetter> letters =
          CollectedEgress.records(DEAD).stream()
              .map(value -> DeadLetter.TYPE.deserialize(value.bytes()))
              .toList();
      assertThat(letters)
          .extracting(letter -> letter.key + " " + text(letter.valueBase64))
          .containsExactlyInAnyOrder("a x", "a y", "b z");
      String url = dead.replace("{function.name}", "counter");
      assertThat(letters)
          .allSatisfy(
              letter -> {
                assertThat(letter.function).isEqualTo("down/counter");
                assertThat(letter.valueType).isEqualTo("io.statefun.types/string");
                assertThat(letter.reason).contains(url).contains("failed after 2 attempts");
              });
      assertThat(ModuleJobs.texts(OUT)).containsExactlyInAnyOrder("a x n=1", "b y n=1", "a z n=2");
    } finally {
      job.cancel().get();
    }
  }

  private static String text(String base64) {
    return Types.STRING.deserialize(Base64.getDecoder().decode(base64));
  }

  private static Configuration retries(int maxRetries) {
    Configuration conf = new Configuration();
    conf.setString("stateweave.remote.max-retries", String.valueOf(maxRetries));
    conf.setString("stateweave.remote.initial-backoff", "20 ms");
    conf.setString("stateweave.remote.max-backoff", "200 ms");
    return conf;
  }

  /** {@code remote/counter} behind the endpoint, fed by a generator, reporting to test/out. */
  private static String module(String functions, String urlPathTemplate) {
    return """
           kind: io.statefun.endpoints.v2/http
           spec:
             functions: %s
             urlPathTemplate: %s
             transport:
               timeouts:
                 call: 500ms
           ---
           kind: io.stateweave.ingress.v1/generator
           spec:
             id: test/in
             targets: [remote/counter]
             records: [{id: a, value: x}, {id: b, value: y}, {id: a, value: z}]
             count: 3
           ---
           kind: io.stateweave.egress.v1/collecting
           spec:
             id: test/out
           """
        .formatted(functions, urlPathTemplate);
  }

  /** Counts the messages per address and reports each as {@code <id> <value> n=<count>}. */
  static final class Counter implements StatefulFunction {
    static final ValueSpec<Integer> COUNT = ValueSpec.named("count").withIntType();

    @Override
    public CompletableFuture<Void> apply(Context context, Message message) {
      int count = context.storage().get(COUNT).orElse(0) + 1;
      context.storage().set(COUNT, count);
      context.send(
          EgressMessageBuilder.forEgress(TypeName.typeNameFromString("test/out"))
              .withValue(context.self().id() + " " + message.asUtf8String() + " n=" + count)
              .build());
      return context.done();
    }
  }
}
