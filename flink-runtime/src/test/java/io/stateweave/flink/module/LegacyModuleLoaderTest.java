package io.stateweave.flink.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stateweave.flink.module.HttpEndpointSpec.Timeouts;
import io.stateweave.flink.module.KafkaIngressSpec.AutoOffsetReset;
import io.stateweave.flink.module.KafkaIngressSpec.StartupPosition;
import io.stateweave.flink.module.LegacyFunctionSpec.State;
import io.stateweave.sdk.TypeName;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The module files of StateFun 2.0 (format 1.0), 2.1–2.2 (2.0) and 3.0 (3.0), as the docs of each
 * release show them, read into the same model as the 3.1+ format.
 */
class LegacyModuleLoaderTest {

  private static final String SOURCE = "test/module.yaml";
  private static final Timeouts DEFAULT_TIMEOUTS = Timeouts.DEFAULT;

  // ---------------------------------------------------------------- valid modules

  /** The 2.0 docs' full example, with 'meta' and 'spec' beside '- function:' as printed there. */
  @Test
  void statefun20DocsExample() {
    ModuleSpec module =
        parse(
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
                      endpoint: http://greeter-host/statefun
                      states:
                        - seen_count
                      maxNumBatchRequests: 500
                      timeout: 2min
            """);

    LegacyFunctionSpec greeter =
        new LegacyFunctionSpec(
            type("example/greeter"),
            "http://greeter-host/statefun",
            List.of(new State("seen_count", Duration.ZERO)),
            500,
            new Timeouts(
                Duration.ofMinutes(2),
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                Duration.ofSeconds(10)));
    assertThat(module.legacyFunctions()).containsExactly(greeter);
    assertThat(module.endpoints())
        .containsExactly(
            new HttpEndpointSpec(
                "example/greeter",
                "http://greeter-host/statefun",
                500,
                greeter.timeouts(),
                HttpEndpointSpec.OKHTTP_TRANSPORT,
                Map.of()));
    assertThat(module.functions()).isEmpty();
    assertThat(module.ingresses()).isEmpty();
  }

  /** The 2.x Python greeter example's module, Kafka in and out. */
  @Test
  void statefun20GreeterExampleWithKafka() {
    ModuleSpec module =
        parse(
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
                        endpoint: http://python-worker:8000/statefun
                        states:
                          - seen_count
                        maxNumBatchRequests: 500
                        timeout: 2min
                ingresses:
                  - ingress:
                      meta:
                        type: statefun.kafka.io/routable-protobuf-ingress
                        id: example/names
                      spec:
                        address: kafka-broker:9092
                        consumerGroupId: my-group-id
                        topics:
                          - topic: names
                            typeUrl: com.googleapis/example.GreetRequest
                            targets:
                              - example/greeter
                egresses:
                  - egress:
                      meta:
                        type: statefun.kafka.io/generic-egress
                        id: example/greets
                      spec:
                        address: kafka-broker:9092
                        deliverySemantic:
                          type: exactly-once
                          transactionTimeoutMillis: 100000
            """);

    assertThat(module.legacyFunctions())
        .extracting(LegacyFunctionSpec::functionType, LegacyFunctionSpec::endpoint)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                type("example/greeter"), "http://python-worker:8000/statefun"));
    assertThat(module.ingresses())
        .containsExactly(
            new KafkaIngressSpec(
                type("example/names"),
                "kafka-broker:9092",
                "my-group-id",
                List.of(
                    new KafkaIngressSpec.Topic(
                        "names",
                        type("com.googleapis/example.GreetRequest"),
                        List.of(type("example/greeter")))),
                StartupPosition.of(StartupPosition.Type.GROUP_OFFSETS),
                AutoOffsetReset.LATEST,
                Map.of()));
    assertThat(module.egresses())
        .containsExactly(
            new KafkaEgressSpec(
                type("example/greets"),
                "kafka-broker:9092",
                KafkaEgressSpec.DeliverySemantic.EXACTLY_ONCE,
                Duration.ofMillis(100000),
                null,
                Map.of()));
  }

  /**
   * The Kafka docs of 2.x: 'meta:' left empty with 'type' beside it, and 'spec' at the top level; a
   * startup position.
   */
  @Test
  void statefun2KafkaDocsExample() {
    ModuleSpec module =
        parse(
            """
            version: "1.0"

            module:
                meta:
                type: remote
            spec:
                ingresses:
                - ingress:
                    meta:
                        type: statefun.kafka.io/routable-protobuf-ingress
                        id: example/user-ingress
                    spec:
                        address: kafka-broker:9092
                        consumerGroupId: routable-kafka-e2e
                        startupPosition:
                            type: earliest
                        topics:
                          - topic: messages-1
                            typeUrl: com.googleapis/com.company.MessageWithAddress
                            targets:
                              - example-namespace/my-function-1
                              - example-namespace/my-function-2
            """);

    assertThat(module.ingresses())
        .containsExactly(
            new KafkaIngressSpec(
                type("example/user-ingress"),
                "kafka-broker:9092",
                "routable-kafka-e2e",
                List.of(
                    new KafkaIngressSpec.Topic(
                        "messages-1",
                        type("com.googleapis/com.company.MessageWithAddress"),
                        List.of(
                            type("example-namespace/my-function-1"),
                            type("example-namespace/my-function-2")))),
                StartupPosition.of(StartupPosition.Type.EARLIEST),
                AutoOffsetReset.LATEST,
                Map.of()));
  }

  /** The 2.1–2.2 docs: states with names and expiration, the call's timeout and its parts. */
  @Test
  void statefun22StatesWithExpirationAndTimeouts() {
    ModuleSpec module =
        parse(
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
                      type: example/greeter
                    spec:
                      endpoint: https://greeter-host/statefun
                      states:
                        - name: seen_count
                          expireAfter: 5min
                        - name: last_seen
                      maxNumBatchRequests: 500
                      timeout: 2min
                      connectTimeout: 20s
                      readTimeout: 30 s
                      writeTimeout: 1500
                  - function:
                      meta:
                        kind: http
                        type: example/caller
                      spec:
                        endpoint: http+unix:///uds.sock/path/of/url
                        timeout: 5s
            """);

    assertThat(module.legacyFunctions())
        .containsExactly(
            new LegacyFunctionSpec(
                type("example/greeter"),
                "https://greeter-host/statefun",
                List.of(
                    new State("seen_count", Duration.ofMinutes(5)),
                    new State("last_seen", Duration.ZERO)),
                500,
                new Timeouts(
                    Duration.ofMinutes(2),
                    Duration.ofSeconds(20),
                    Duration.ofSeconds(30),
                    Duration.ofMillis(1500))),
            new LegacyFunctionSpec(
                type("example/caller"),
                "http+unix:///uds.sock/path/of/url",
                List.of(),
                1000,
                new Timeouts(
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(5))));
  }

  /** The 3.0 docs: 'endpoints' written as one mapping, Kafka's 3.0 types; 3.x protocol. */
  @Test
  void statefun30DocsExample() {
    ModuleSpec module =
        parse(
            """
            version: "3.0"

            module:
              meta:
                type: remote
              spec:
                endpoints:
                  meta:
                    kind: http
                  spec:
                    functions: com.example/*
                    urlPathTemplate: https://bar.foo.com/{function.name}
                ingresses:
                  - ingress:
                    meta:
                      type: io.statefun.kafka/ingress
                      id: com.example/my-ingress
                    spec:
                      address: kafka-broker:9092
                      consumerGroupId: my-consumer-group
                      startupPosition:
                        type: earliest
                      topics:
                        - topic: message-topic
                          valueType: io.statefun.types/string
                          targets:
                            - com.example/greeter
                egresses:
                  - egress:
                    meta:
                      type: io.statefun.kafka/egress
                      id: example/output-messages
                    spec:
                      address: kafka-broker:9092
                      deliverySemantic:
                        type: exactly-once
                        transactionTimeoutMillis: 100000
            """);

    assertThat(module.legacyFunctions()).isEmpty();
    assertThat(module.endpoints())
        .containsExactly(
            new HttpEndpointSpec(
                "com.example/*",
                "https://bar.foo.com/{function.name}",
                1000,
                DEFAULT_TIMEOUTS,
                HttpEndpointSpec.OKHTTP_TRANSPORT,
                Map.of()));
    assertThat(module.ingresses())
        .containsExactly(
            new KafkaIngressSpec(
                type("com.example/my-ingress"),
                "kafka-broker:9092",
                "my-consumer-group",
                List.of(
                    new KafkaIngressSpec.Topic(
                        "message-topic",
                        type("io.statefun.types/string"),
                        List.of(type("com.example/greeter")))),
                StartupPosition.of(StartupPosition.Type.EARLIEST),
                AutoOffsetReset.LATEST,
                Map.of()));
    assertThat(module.egresses())
        .containsExactly(
            new KafkaEgressSpec(
                type("example/output-messages"),
                "kafka-broker:9092",
                KafkaEgressSpec.DeliverySemantic.EXACTLY_ONCE,
                Duration.ofMillis(100000),
                null,
                Map.of()));
  }

  /** 3.0's endpoint list, each endpoint with the timeouts of its call. */
  @Test
  void statefun30EndpointList() {
    ModuleSpec module =
        parse(
            """
            version: "3.0"
            module:
              meta:
                type: remote
              spec:
                endpoints:
                  - endpoint:
                      meta:
                        kind: http
                      spec:
                        functions: com.example/greeter
                        urlPathTemplate: http://greeter.svc/statefun
                        maxNumBatchRequests: 10
                        timeouts:
                          call: 2 min
                          read: 10 sec
            """);

    assertThat(module.endpoints())
        .containsExactly(
            new HttpEndpointSpec(
                "com.example/greeter",
                "http://greeter.svc/statefun",
                10,
                new Timeouts(
                    Duration.ofMinutes(2),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(10)),
                HttpEndpointSpec.OKHTTP_TRANSPORT,
                Map.of("timeouts", Map.of("call", "2 min", "read", "10 sec"))));
  }

  /** A 2.x file runs beside a file of 3.1+ documents: one module, each file in its format. */
  @Test
  void legacyFileBesideAKindFile() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("v2/module.yaml", LEGACY_GREETER);
    files.put(
        "module.yaml",
        """
        kind: io.statefun.endpoints.v2/http
        spec:
          functions: remote/*
          urlPathTemplate: http://remote/{function.name}
        """);

    ModuleSpec module = ModuleLoader.parse(files);

    assertThat(module.source()).isEqualTo("v2/module.yaml + module.yaml");
    assertThat(module.legacyFunctions())
        .extracting(LegacyFunctionSpec::functionType)
        .containsExactly(type("example/greeter"));
    assertThat(module.endpoints())
        .extracting(HttpEndpointSpec::functions)
        .containsExactly("example/greeter", "remote/*");
  }

  @Test
  void functionTypeOfALegacyFileBoundAgainInAnother() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("v2/module.yaml", LEGACY_GREETER);
    files.put(
        "module.yaml",
        """
        kind: io.stateweave.egress.v1/stdout
        spec: {id: example/out}
        ---
        kind: io.statefun.endpoints.v2/http
        spec:
          functions: example/greeter
          urlPathTemplate: http://remote/{function.name}
        """);

    assertThat(assertThrows(ModuleSpecException.class, () -> ModuleLoader.parse(files)))
        .hasMessage(
            "module.yaml: document 2 (io.statefun.endpoints.v2/http): field 'spec.functions':"
                + " expected a unique function type, got example/greeter which v2/module.yaml"
                + " document 1 already binds");
  }

  // ---------------------------------------------------------------- refused

  @Test
  void legacyModuleFollowedByAKindDocument() {
    ModuleSpecException e =
        fails(
            """
            version: "1.0"
            module:
              meta: {type: remote}
              spec:
                functions:
                  - function:
                      meta: {kind: http, type: example/greeter}
                      spec: {endpoint: http://host/statefun}
            ---
            kind: io.stateweave.egress.v1/stdout
            spec: {id: example/out}
            """);

    assertThat(e)
        .hasMessage(
            SOURCE
                + ": document 2: expected the format of document 1, got another: a module file is"
                + " either 'kind'/'spec' documents (StateFun 3.1+) or one module with 'version'"
                + " (StateFun 2.x and 3.0), and document 1 is a module with 'version'; write the"
                + " whole file in one of them");
    assertThat(e.document()).isEqualTo(2);
  }

  @Test
  void kindDocumentFollowedByALegacyModule() {
    ModuleSpecException e =
        fails(
            """
            kind: io.stateweave.egress.v1/stdout
            spec: {id: example/out}
            ---
            version: "3.0"
            module:
              meta: {type: remote}
              spec: {}
            """);

    assertThat(e)
        .hasMessage(
            SOURCE
                + ": document 2: field 'version': expected the format of document 1, got another:"
                + " a module file is either 'kind'/'spec' documents (StateFun 3.1+) or one module"
                + " with 'version' (StateFun 2.x and 3.0), and document 1 is a 'kind'/'spec'"
                + " document; write the whole file in one of them");
  }

  @Test
  void unknownVersion() {
    assertThat(fails("version: \"3.1\"\nmodule: {meta: {type: remote}, spec: {}}\n"))
        .hasMessage(
            SOURCE
                + ": document 1: field 'version': expected a module format version, one of [1.0,"
                + " 2.0, 3.0] (from StateFun 3.1 on, a module file has no version but one 'kind'"
                + " and 'spec' per document), got '3.1'");
  }

  @Test
  void kinesisIngressIsRefusedNamingIt() {
    assertThat(
            fails(
                """
                version: "1.0"
                module:
                  meta:
                    type: remote
                  spec:
                    ingresses:
                      - ingress:
                          meta:
                            type: statefun.kinesis.io/routable-protobuf-ingress
                            id: example-namespace/messages
                          spec:
                            awsRegion: {type: specific, id: us-west-1}
                """))
        .hasMessage(
            SOURCE
                + ": document 1 (module format 1.0): field"
                + " 'module.spec.ingresses[0].ingress.meta.type': Kinesis is not supported, got"
                + " ingress type 'statefun.kinesis.io/routable-protobuf-ingress'");
  }

  @Test
  void kinesisEgressOf30IsRefusedNamingIt() {
    assertThat(
            fails(
                """
                version: "3.0"
                module:
                  meta:
                    type: remote
                  spec:
                    egresses:
                      - egress:
                          meta: {type: io.statefun.kinesis/egress, id: example/out}
                          spec: {awsRegion: {type: default}}
                """))
        .hasMessage(
            SOURCE
                + ": document 1 (module format 3.0): field"
                + " 'module.spec.egresses[0].egress.meta.type': Kinesis is not supported, got"
                + " egress type 'io.statefun.kinesis/egress'");
  }

  @Test
  void embeddedModuleTypeIsRefused() {
    assertThat(fails("version: \"2.0\"\nmodule: {meta: {type: embedded}, spec: {}}\n"))
        .hasMessage(
            SOURCE
                + ": document 1 (module format 2.0): field 'module.meta.type': expected the module"
                + " type 'remote' (embedded modules of the StateFun 2.x Java SDK are not supported:"
                + " bind Java functions written against Stateweave's API with"
                + " io.stateweave.functions.v1/java), got 'embedded'");
  }

  @Test
  void routersAreRefused() {
    assertThat(
            fails(
                """
                version: "1.0"
                module:
                  meta: {type: remote}
                  spec:
                    routers:
                      - router:
                          meta: {type: org.apache.flink.statefun.sdk/protobuf-router}
                """))
        .hasMessage(
            SOURCE
                + ": document 1 (module format 1.0): field 'module.spec.routers': routers are not"
                + " supported: they routed the records of statefun.kafka.io/protobuf-ingress"
                + " through an embedded module; use statefun.kafka.io/routable-protobuf-ingress,"
                + " which routes by the record key");
  }

  @Test
  void functionOfAnotherKind() {
    assertThat(
            fails(
                """
                version: "1.0"
                module:
                  meta: {type: remote}
                  spec:
                    functions:
                      - function:
                          meta: {kind: grpc, type: example/greeter}
                          spec: {endpoint: http://host/statefun}
                """))
        .hasMessage(
            SOURCE
                + ": document 1 (module format 1.0): field"
                + " 'module.spec.functions[0].function.meta.kind': expected the function kind"
                + " 'http', got 'grpc'");
  }

  @Test
  void statesOf20WrittenAsNamesOnly() {
    ModuleSpecException e =
        fails(
            """
            version: "2.0"
            module:
              meta: {type: remote}
              spec:
                functions:
                  - function:
                      meta: {kind: http, type: example/greeter}
                      spec:
                        endpoint: http://host/statefun
                        states: [seen_count]
            """);

    assertThat(e)
        .hasMessage(
            SOURCE
                + ": document 1 (module format 2.0): field"
                + " 'module.spec.functions[0].function.spec.states[0]': expected a mapping with"
                + " 'name', got 'seen_count'");
    assertThat(e.field()).isEqualTo("module.spec.functions[0].function.spec.states[0]");
  }

  @Test
  void stateDeclaredTwice() {
    assertThat(
            fails(
                """
                version: "1.0"
                module:
                  meta: {type: remote}
                  spec:
                    functions:
                      - function:
                          meta: {kind: http, type: example/greeter}
                          spec:
                            endpoint: http://host/statefun
                            states: [seen_count, seen_count]
                """))
        .hasMessage(
            SOURCE
                + ": document 1 (module format 1.0): field"
                + " 'module.spec.functions[0].function.spec.states[1]': expected a state name not"
                + " declared before, got 'seen_count'");
  }

  @Test
  void timeoutsOf22AreUnknownIn10() {
    assertThat(
            fails(
                """
                version: "1.0"
                module:
                  meta: {type: remote}
                  spec:
                    functions:
                      - function:
                          meta: {kind: http, type: example/greeter}
                          spec: {endpoint: http://host/statefun, readTimeout: 2s}
                """))
        .hasMessage(
            SOURCE
                + ": document 1 (module format 1.0): field"
                + " 'module.spec.functions[0].function.spec.readTimeout': expected one of"
                + " [endpoint, states, maxNumBatchRequests, timeout], got unknown field"
                + " 'readTimeout'");
  }

  @Test
  void functionTypeDeclaredTwice() {
    assertThat(
            fails(
                """
                version: "1.0"
                module:
                  meta: {type: remote}
                  spec:
                    functions:
                      - function:
                          meta: {kind: http, type: example/greeter}
                          spec: {endpoint: http://host/statefun}
                      - function:
                          meta: {kind: http, type: example/greeter}
                          spec: {endpoint: http://other/statefun}
                """))
        .hasMessage(
            SOURCE
                + ": document 1 (module format 1.0): field"
                + " 'module.spec.functions[1].function.meta.type': expected a unique function"
                + " type, got example/greeter which this document already binds");
  }

  @Test
  void endpointWithoutScheme() {
    assertThat(
            fails(
                """
                version: "1.0"
                module:
                  meta: {type: remote}
                  spec:
                    functions:
                      - function:
                          meta: {kind: http, type: example/greeter}
                          spec: {endpoint: greeter-host/statefun}
                """))
        .hasMessage(
            SOURCE
                + ": document 1 (module format 1.0): field"
                + " 'module.spec.functions[0].function.spec.endpoint': expected an absolute URL"
                + " with scheme [http, https, http+unix, https+unix], got"
                + " 'greeter-host/statefun'");
  }

  @Test
  void functionsAreNotPartOf30() {
    assertThat(
            fails(
                """
                version: "3.0"
                module:
                  meta: {type: remote}
                  spec:
                    functions: []
                """))
        .hasMessage(
            SOURCE
                + ": document 1 (module format 3.0): field 'module.spec.functions': expected one"
                + " of [endpoints, ingresses, egresses], got unknown field 'functions'");
  }

  @Test
  void wrapperWithMetaBesideAndUnder() {
    assertThat(
            fails(
                """
                version: "1.0"
                module:
                  meta: {type: remote}
                  spec:
                    egresses:
                      - egress:
                          meta: {type: statefun.kafka.io/generic-egress, id: example/out}
                          spec: {address: "kafka:9092"}
                        meta: {type: statefun.kafka.io/generic-egress, id: example/out}
                """))
        .hasMessage(
            SOURCE
                + ": document 1 (module format 1.0): field 'module.spec.egresses[0].meta':"
                + " expected one of [egress], got unknown field 'meta'");
  }

  @Test
  void kafkaTopicWithoutTypeUrl() {
    assertThat(
            fails(
                """
                version: "1.0"
                module:
                  meta: {type: remote}
                  spec:
                    ingresses:
                      - ingress:
                          meta: {type: statefun.kafka.io/routable-protobuf-ingress, id: example/in}
                          spec:
                            address: kafka:9092
                            consumerGroupId: g
                            topics:
                              - {topic: names, valueType: example/Name, targets: [example/greeter]}
                """))
        .hasMessage(
            SOURCE
                + ": document 1 (module format 1.0): field"
                + " 'module.spec.ingresses[0].ingress.spec.topics[0].valueType': expected one of"
                + " [topic, typeUrl, targets], got unknown field 'valueType'");
  }

  @Test
  void functionOfTheStatefun2EmbeddedJavaSdk() {
    assertThat(
            fails(
                """
                kind: io.stateweave.functions.v1/java
                spec:
                  functions:
                    - class: io.stateweave.flink.module.LegacyModuleLoaderTest$Statefun2Function
                      type: example/greeter
                """))
        .hasMessage(
            SOURCE
                + ": document 1 (io.stateweave.functions.v1/java): field 'spec.functions[0].class':"
                + " class io.stateweave.flink.module.LegacyModuleLoaderTest$Statefun2Function"
                + " implements org.apache.flink.statefun.sdk.StatefulFunction of StateFun's 2.x"
                + " Java SDK, whose embedded functions are not supported: implement"
                + " io.stateweave.sdk.StatefulFunction, or serve the function remotely");
  }

  /** A function of StateFun 2.x's embedded Java SDK, by way of a base class. */
  public static class Statefun2Function extends Statefun2Base {}

  public abstract static class Statefun2Base
      implements org.apache.flink.statefun.sdk.StatefulFunction {}

  private static final String LEGACY_GREETER =
      """
      version: "1.0"
      module:
        meta: {type: remote}
        spec:
          functions:
            - function:
                meta: {kind: http, type: example/greeter}
                spec: {endpoint: http://host/statefun, states: [seen_count]}
      """;

  private static ModuleSpec parse(String yaml) {
    return ModuleLoader.parse(yaml, SOURCE);
  }

  private static ModuleSpecException fails(String yaml) {
    return assertThrows(ModuleSpecException.class, () -> parse(yaml));
  }

  private static TypeName type(String typeName) {
    return TypeName.parse(typeName);
  }
}
