package io.stateweave.flink.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stateweave.flink.module.ModuleLoader;
import io.stateweave.flink.testing.Jobs;
import io.stateweave.flink.translation.ModuleTranslator;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.Context;
import io.stateweave.sdk.Message;
import io.stateweave.sdk.StatefulFunction;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.ValueSpec;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.util.SerializedThrowable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A function that misuses the runtime fails the job with a message that says who did what, and a
 * module the runtime cannot run is rejected before the job starts.
 */
final class DispatcherFailuresJobTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @Test
  void aMessageToAnUnboundFunctionTypeNamesTheTypeTheIdAndTheBoundTypes() throws Exception {
    assertThat(failureOf("unbound"))
        .anySatisfy(
            message ->
                assertThat(message)
                    .contains("No function is bound to type test/nobody")
                    .contains("id 'someone'")
                    .contains("from test/misbehaving/unbound")
                    .contains("bound types: [test/misbehaving, test/quiet]"));
  }

  @Test
  void sendingToAnUndefinedEgressNamesTheFunctionTheEgressAndTheDefinedOnes() throws Exception {
    assertThat(failureOf("undefined-egress"))
        .anySatisfy(
            message ->
                assertThat(message)
                    .contains("Function test/misbehaving (id 'undefined-egress')")
                    .contains("sent to egress test/undefined")
                    .contains("defined egresses: [test/defined]"));
  }

  @Test
  void replyingToAMessageFromAnIngressNamesTheFunctionAndTheId() throws Exception {
    assertThat(failureOf("reply"))
        .anySatisfy(
            message ->
                assertThat(message)
                    .contains("Function test/misbehaving (id 'reply') cannot reply")
                    .contains("came from an ingress"));
  }

  @Test
  void aThrowingFunctionNamesTypeIdAndMessageTypeWithTheOriginalCause() throws Exception {
    Throwable failure = failureThrowableOf("throws");
    Throwable invocation =
        ExceptionUtils.findThrowable(
                failure,
                t ->
                    String.valueOf(t.getMessage())
                        .startsWith("Function test/misbehaving (id 'throws') failed"))
            .orElseThrow(() -> new AssertionError("no invocation failure in", failure));
    assertThat(invocation.getMessage())
        .contains("on a message of type io.statefun.types/string from an ingress")
        .contains(Misbehaving.BOOM);
    Throwable cause = invocation.getCause();
    assertThat(cause).hasMessage(Misbehaving.BOOM);
    String causeClass =
        cause instanceof SerializedThrowable serialized
            ? serialized.getOriginalErrorClassName()
            : cause.getClass().getName();
    assertThat(causeClass).isEqualTo(ArithmeticException.class.getName());
  }

  @Test
  void aSecondPendingMessageWithTheSameCancellationTokenNamesTheToken() throws Exception {
    assertThat(failureOf("token"))
        .anySatisfy(
            message ->
                assertThat(message)
                    .contains("Function test/misbehaving (id 'token')")
                    .contains("already has a pending delayed message")
                    .contains("cancellation token 'reminder'"));
  }

  @Test
  void aStateUsedWithAnotherTypeThanAtFirstUseNamesTheFunctionTheStateAndBothTypes()
      throws Exception {
    // an undeclared state is bound on first use, so its second type shows at the second use
    assertThat(failureOf("retyped-state"))
        .anySatisfy(
            message ->
                assertThat(message)
                    .contains(
                        "Function type test/misbehaving declares state 'count' as"
                            + " io.statefun.types/int and as io.statefun.types/long"));
  }

  @Test
  void anIngressTargetingAnUnboundFunctionTypeIsRejected() {
    String module =
        FUNCTIONS
            + """
              ---
              kind: io.stateweave.ingress.v1/generator
              spec:
                id: test/orders
                targets: [test/nobody]
                records: [{id: a, value: go}]
              """;
    assertThatThrownBy(() -> translate(module))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ingress test/orders targets function type test/nobody")
        .hasMessageContaining("no function binds")
        .hasMessageContaining("bound types: [test/misbehaving, test/quiet]");
  }

  @Test
  void anIngressTargetMustBeEmbeddedOrServedByAnEndpoint() {
    // an upstream StateFun module: remote functions only, an ingress targets one of them
    String module =
        """
        kind: io.statefun.endpoints.v2/http
        spec:
          functions: com.example/*
          urlPathTemplate: http://functions.svc/{function.name}
        ---
        kind: io.stateweave.ingress.v1/generator
        spec:
          id: test/names
          targets: [%s]
          records: [{id: a, value: go}]
        """;
    translate(module.formatted("com.example/greeter"));
    assertThatThrownBy(() -> translate(module.formatted("org.example/greeter")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("targets function type org.example/greeter")
        .hasMessageContaining("no HTTP endpoint serves")
        .hasMessageContaining("com.example/*");
  }

  @Test
  void anEndpointTheJdkClientCannotCallIsRejected() {
    String module =
        """
        kind: io.statefun.endpoints.v2/http
        spec:
          functions: com.example/*
          urlPathTemplate: http+unix:///var/run/functions.sock/{function.name}
        ---
        kind: io.stateweave.ingress.v1/generator
        spec:
          id: test/names
          targets: [com.example/greeter]
          records: [{id: a, value: go}]
        """;
    assertThatThrownBy(() -> translate(module))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("test module")
        .hasMessageContaining("com.example/*")
        .hasMessageContaining("http+unix")
        .hasMessageContaining("not supported");
  }

  private static void translate(String module) {
    ModuleTranslator.translate(Jobs.environment(), ModuleLoader.parse(module, "test module"));
  }

  private static final String FUNCTIONS =
      """
      kind: io.stateweave.functions.v1/java
      spec:
        functions:
          - {type: test/misbehaving, class: %1$s}
          - {type: test/quiet, class: %1$s}
      """
          .formatted(Misbehaving.class.getName());

  /** Runs a job whose one ingress record makes the function misbehave as the scenario says. */
  private static Throwable failureThrowableOf(String scenario) throws Exception {
    String module =
        FUNCTIONS
            + """
              ---
              kind: io.stateweave.ingress.v1/generator
              spec:
                id: test/scenario
                targets: [test/misbehaving]
                records: [{id: %s, value: go}]
                count: 1
              ---
              kind: io.stateweave.egress.v1/collecting
              spec:
                id: test/defined
              """
                .formatted(scenario);
    Configuration conf = new Configuration();
    // the failure must end the job rather than restart it
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    return ModuleJobs.failure(ModuleJobs.start(module, conf, 1));
  }

  private static List<String> failureOf(String scenario) throws Exception {
    return ModuleJobs.messages(failureThrowableOf(scenario));
  }

  /** Misbehaves in the way its address id names. */
  public static final class Misbehaving implements StatefulFunction {
    static final String BOOM = "the function's own failure";

    @Override
    public void invoke(Context context, Message message) {
      switch (context.self().id()) {
        case "unbound" -> context.send(Address.of("test/nobody", "someone"), TypedValue.of("hi"));
        case "undefined-egress" ->
            context.sendEgress(TypeName.parse("test/undefined"), TypedValue.of("record"));
        case "reply" -> context.reply(TypedValue.of("thanks"));
        case "throws" -> throw new ArithmeticException(BOOM);
        case "retyped-state" -> {
          context.storage().set(ValueSpec.named("count").withIntType(), 1);
          context.storage().set(ValueSpec.named("count").withLongType(), 1L);
        }
        case "token" -> {
          Duration later = Duration.ofMinutes(1);
          context.sendAfter(later, "reminder", context.self(), TypedValue.of("first"));
          context.sendAfter(later, "reminder", context.self(), TypedValue.of("second"));
        }
        default -> throw new IllegalArgumentException("no scenario " + context.self().id());
      }
    }
  }
}
