package io.stateweave.flink.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.stateweave.flink.dispatcher.ModuleJobs;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A StateFun 2.x function's answer the runtime cannot take fails the job saying why. */
final class StatefunV2FailuresJobTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private PythonSdkV2Server server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aMessageOfNoTypeFailsTheJobNamingFunctionAddressAndWhy() throws Exception {
    // the caller sends an Any without a type name; the greeter ignores what it gets
    server =
        PythonSdkV2Server.start(
            PythonSdkV2.functions()
                .bind(
                    "example/caller",
                    (context, message) ->
                        context.send(
                            "example/greeter",
                            "a",
                            com.google.protobuf.Any.newBuilder().setTypeUrl("User").build()))
                .bind("example/greeter", (context, message) -> {}));
    Map<String, String> files = new LinkedHashMap<>();
    files.put(
        "statefun-2.0/module.yaml",
        """
        version: "1.0"
        module:
          meta: {type: remote}
          spec:
            functions:
              - function:
                  meta: {kind: http, type: example/caller}
                  spec: {endpoint: %s}
              - function:
                  meta: {kind: http, type: example/greeter}
                  spec: {endpoint: %s}
        """
            .formatted(server.url("/statefun"), server.url("/statefun")));
    files.put("stateweave.yaml", StatefunV2JobTest.driverModule());
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    JobClient job = ModuleJobs.start(files, conf, 1);

    assertThat(ModuleJobs.messages(ModuleJobs.failure(job)))
        .anySatisfy(
            message ->
                assertThat(message)
                    .matches(
                        Pattern.quote("Remote function example/caller (id '")
                            + "(alice|bob)"
                            + Pattern.quote(
                                "') at "
                                    + server.url("/statefun")
                                    + " failed after 1 attempt; last error: the answer cannot be"
                                    + " read (it sends a google.protobuf.Any of type URL 'User',"
                                    + " which is no <prefix>/<message name>)")
                            + "(?s)(, body: .*)?"));
  }
}
