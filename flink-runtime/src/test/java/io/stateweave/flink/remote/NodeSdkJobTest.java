package io.stateweave.flink.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.dispatcher.ModuleJobs;
import io.stateweave.flink.egress.CollectedEgress;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.Context;
import io.stateweave.sdk.Message;
import io.stateweave.sdk.StatefulFunction;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.testinfra.node.NodeFunctionServer;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Remote functions written with the official StateFun JavaScript SDK ({@code apache-flink-statefun}
 * 3.3.0 from npm, see {@code remote-peers/node}), served by Node, in a real job: state with
 * expiration, a reply to an embedded caller, delayed messages with cancellation, egress.
 */
final class NodeSdkJobTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static final TypeName OUT = TypeName.parse("test/out");
  private static NodeFunctionServer node;

  /** Asks the Node greeter to greet and reports the answer that comes back to it. */
  public static final class Asker implements StatefulFunction {
    @Override
    public void invoke(Context context, Message message) {
      if (context.caller().isPresent()) {
        context.sendEgress(OUT, TypedValue.of(context.self().id() + " got: " + message.asString()));
      } else {
        context.send(
            Address.of("remote/greeter", "g-" + context.self().id()), message.typedValue());
      }
    }
  }

  @BeforeAll
  static void startNode() {
    node = NodeFunctionServer.start(NodeFunctionServer.Http2.CLEARTEXT);
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @ParameterizedTest(name = "over {0}")
  @ValueSource(strings = {"http/1.1", "h2c"})
  void nodeFunctionsKeepStateReplyDelayCancelAndEmit(String protocol) throws Exception {
    CollectedEgress.clear();
    String module =
        """
        kind: io.statefun.endpoints.v2/http
        spec:
          functions: remote/*
          urlPathTemplate: %s
          transport:
            type: io.statefun.transports.v1/async
            protocol: %s
        ---
        kind: io.stateweave.functions.v1/java
        spec:
          functions:
            - {type: test/asker, class: %s}
        ---
        kind: io.stateweave.ingress.v1/generator
        spec:
          id: test/counts
          targets: [remote/counter]
          records: [{id: a, value: x}, {id: a, value: x}, {id: b, value: x}, {id: a, value: x}]
          count: 4
          ratePerSecond: 50
        ---
        kind: io.stateweave.ingress.v1/generator
        spec:
          id: test/questions
          targets: [test/asker]
          records: [{id: ada, value: Ada}]
          count: 1
        ---
        kind: io.stateweave.ingress.v1/generator
        spec:
          id: test/timers
          targets: [remote/delayer]
          records:
            - {id: kept, value: "start:1000"}
            - {id: dropped, value: "start:1000"}
            - {id: dropped, value: cancel}
          count: 3
          ratePerSecond: 20
        ---
        kind: io.stateweave.egress.v1/collecting
        spec:
          id: test/out
        """
            .formatted(
                (protocol.equals("h2c") ? node.h2cUrl("") : node.url("")) + "{function.name}",
                protocol,
                Asker.class.getName());
    Map<String, Integer> callsBefore = node.callsPerHttpVersion();
    JobClient job = ModuleJobs.start(module, new Configuration(), 2);
    List<String> out;
    try {
      out = ModuleJobs.awaitTexts(OUT, "the kept timer", texts -> texts.contains("kept:fired"));
      Thread.sleep(2_000); // past the cancelled timer's due time
      out = ModuleJobs.texts(OUT);
    } finally {
      job.cancel().get();
    }
    assertThat(out)
        .containsExactlyInAnyOrder("a:1", "a:2", "b:1", "a:3", "ada got: Hello Ada!", "kept:fired");
    // one address's messages are handled in order
    assertThat(out.stream().filter(text -> text.startsWith("a:")))
        .containsExactly("a:1", "a:2", "a:3");
    String httpVersion = protocol.equals("h2c") ? "2.0" : "1.1";
    assertThat(node.callsPerHttpVersion().get(httpVersion))
        .isGreaterThan(callsBefore.getOrDefault(httpVersion, 0));
  }
}
