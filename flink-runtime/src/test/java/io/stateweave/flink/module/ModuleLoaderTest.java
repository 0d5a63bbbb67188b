package io.stateweave.flink.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stateweave.flink.module.EmbeddedFunctionsSpec.ClassBinding;
import io.stateweave.flink.module.HttpEndpointSpec.Timeouts;
import io.stateweave.sdk.TypeName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleLoaderTest {

  private static final String SOURCE = "test/module.yaml";
  private static final String KINDS =
      "[io.stateweave.functions.v1/java, io.stateweave.ingress.v1/generator,"
          + " io.stateweave.ingress.v1/file, io.stateweave.egress.v1/stdout,"
          + " io.stateweave.egress.v1/collecting, io.statefun.endpoints.v2/http,"
          + " io.statefun.endpoints.v1/http, io.statefun.kafka.v1/ingress,"
          + " io.statefun.kafka.v1/egress, io.stateweave.processor.v1/task,"
          + " io.stateweave.entities.v1/java, io.stateweave.transactions.v1/kafka]";

  // ---------------------------------------------------------------- valid modules

  @Test
  void embeddedFunctionsByClassAndByProvider() {
    ModuleSpec module =
        parse(
            """
            kind: io.stateweave.functions.v1/java
            spec:
              functions:
                - class: io.stateweave.flink.module.TestFunctions$Greeter
                - class: io.stateweave.flink.module.TestFunctions$Echo
                  type: example/echo
              providers:
                - io.stateweave.flink.module.TestFunctions$Provider
            """);

    assertThat(module.source()).isEqualTo(SOURCE);
    assertThat(module.functions())
        .containsExactly(
            new EmbeddedFunctionsSpec(
                List.of(
                    new ClassBinding(null, "io.stateweave.flink.module.TestFunctions$Greeter"),
                    new ClassBinding(
                        "example/echo", "io.stateweave.flink.module.TestFunctions$Echo")),
                List.of("io.stateweave.flink.module.TestFunctions$Provider")));
    assertThat(module.ingresses()).isEmpty();
    assertThat(module.egresses()).isEmpty();
    assertThat(module.endpoints()).isEmpty();
  }

  @Test
  void generatorIngressWithEveryFieldAndWithDefaults() {
    ModuleSpec module =
        parse(
            """
            kind: io.stateweave.ingress.v1/generator
            spec:
              id: example/numbers
              targets: [example/greeter, example/counter]
              valueType: io.statefun.types/int
              records:
                - {id: alice, value: 1}
                - {id: 42, value: " -7 "}
              count: 100
              ratePerSecond: 2.5
            ---
            kind: io.stateweave.ingress.v1/generator
            spec:
              id: example/names
              targets:
                - example/greeter
              records:
                - id: bob
                  value: yes
            ---
            kind: io.stateweave.ingress.v1/generator
            spec:
              id: example/load
              targets: [example/counter]
              records: [{id: a, value: x}]
              ratePerSecond: unlimited
              parallelism: 4
            """);

    assertThat(module.ingresses())
        .containsExactly(
            new GeneratorIngressSpec(
                type("example/numbers"),
                List.of(type("example/greeter"), type("example/counter")),
                type("io.statefun.types/int"),
                List.of(
                    new GeneratorIngressSpec.Record("alice", "1"),
                    new GeneratorIngressSpec.Record("42", " -7 ")),
                100,
                2.5,
                1),
            new GeneratorIngressSpec(
                type("example/names"),
                List.of(type("example/greeter")),
                type("io.statefun.types/string"),
                List.of(new GeneratorIngressSpec.Record("bob", "yes")),
                -1,
                10,
                1),
            new GeneratorIngressSpec(
                type("example/load"),
                List.of(type("example/counter")),
                type("io.statefun.types/string"),
                List.of(new GeneratorIngressSpec.Record("a", "x")),
                -1,
                Double.POSITIVE_INFINITY,
                4));
  }

  @Test
  void fileIngressAndBothEgresses() {
    ModuleSpec module =
        parse(
            """
            kind: io.stateweave.ingress.v1/file
            spec:
              id: example/lines
              targets: [example/greeter]
              path: /data/names.txt
              keyDelimiter: ","
              valueType: io.statefun.types/long
            ---
            kind: io.stateweave.ingress.v1/file
            spec:
              id: example/plain-lines
              targets: [example/greeter]
              path: names.txt
            ---
            kind: io.stateweave.egress.v1/stdout
            spec:
              id: example/out
            ---
            kind: io.stateweave.egress.v1/collecting
            spec:
              id: example/collected
            """);

    assertThat(module.ingresses())
        .containsExactly(
            new FileIngressSpec(
                type("example/lines"),
                List.of(type("example/greeter")),
                "/data/names.txt",
                ",",
                type("io.statefun.types/long")),
            new FileIngressSpec(
                type("example/plain-lines"),
                List.of(type("example/greeter")),
                "names.txt",
                null,
                type("io.statefun.types/string")));
    assertThat(module.egresses())
        .containsExactly(
            new StdoutEgressSpec(type("example/out")),
            new CollectingEgressSpec(type("example/collected")));
  }

  /** The examples of StateFun's "HTTP Function Endpoint" page, in spirit. */
  @Test
  void upstreamHttpEndpointsV2AndV1() {
    ModuleSpec module =
        parse(
            """
            kind: io.statefun.endpoints.v2/http
            spec:
              functions: com.example/*
              urlPathTemplate: https://bar.foo.com:8080/{function.name}
              maxNumBatchRequests: 500
              transport:
                timeouts:
                  call: 2 min
                  connect: 20s
                  read: 10 sec
                  write: 1500
            ---
            kind: io.statefun.endpoints.v1/http
            spec:
              functions: com.other/greeter
              urlPathTemplate: http://greeter.svc/statefun
              timeouts:
                call: 1 min
                read: 10 sec
            """);

    assertThat(module.endpoints())
        .containsExactly(
            new HttpEndpointSpec(
                "com.example/*",
                "https://bar.foo.com:8080/{function.name}",
                500,
                new Timeouts(
                    Duration.ofMinutes(2),
                    Duration.ofSeconds(20),
                    Duration.ofSeconds(10),
                    Duration.ofMillis(1500)),
                HttpEndpointSpec.OKHTTP_TRANSPORT,
                Map.of(
                    "timeouts",
                    Map.of("call", "2 min", "connect", "20s", "read", "10 sec", "write", 1500))),
            new HttpEndpointSpec(
                "com.other/greeter",
                "http://greeter.svc/statefun",
                1000,
                new Timeouts(
                    Duration.ofMinutes(1),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(10)),
                HttpEndpointSpec.OKHTTP_TRANSPORT,
                Map.of("timeouts", Map.of("call", "1 min", "read", "10 sec"))));
  }

  @Test
  void httpEndpointWithAsyncTransportCustomTransportAndNone() {
    ModuleSpec module =
        parse(
            """
            kind: io.statefun.endpoints.v2/http
            spec:
              functions: com.example/*
              urlPathTemplate: http+unix:///uds.sock/{function.name}
              transport:
                type: io.statefun.transports.v1/async
                call: 2m
                connect: 20s
                pool_ttl: 0
                pool_size: 64
                payload_max_bytes: 1048576
                trust_cacerts: classpath:ca.pem
            ---
            kind: io.statefun.endpoints.v2/http
            spec:
              functions: com.custom/*
              urlPathTemplate: https://custom/{function.name}
              transport:
                type: com.acme/grpc
                anything: [1, two]
            ---
            kind: io.statefun.endpoints.v2/http
            spec:
              functions: com.plain/fn
              urlPathTemplate: http://plain/fn
            """);

    List<HttpEndpointSpec> endpoints = module.endpoints();
    assertThat(endpoints.get(0).transportType()).isEqualTo(HttpEndpointSpec.ASYNC_TRANSPORT);
    assertThat(endpoints.get(0).timeouts())
        .isEqualTo(
            new Timeouts(
                Duration.ofMinutes(2),
                Duration.ofSeconds(20),
                Duration.ofSeconds(10),
                Duration.ofSeconds(10)));
    assertThat(endpoints.get(0).transportProperties())
        .containsOnlyKeys(
            "call", "connect", "pool_ttl", "pool_size", "payload_max_bytes", "trust_cacerts")
        .containsEntry("pool_size", 64);
    assertThat(endpoints.get(0).pool())
        .isEqualTo(
            new HttpEndpointSpec.Pool(
                64, Duration.ZERO, 1048576, HttpEndpointSpec.Protocol.AUTO));
    assertThat(endpoints.get(2).pool()).isEqualTo(HttpEndpointSpec.Pool.DEFAULT);
    assertThat(endpoints.get(0).tls())
        .isEqualTo(new HttpEndpointSpec.Tls("classpath:ca.pem", null, null, null));
    assertThat(endpoints.get(1).transportType()).isEqualTo(type("com.acme/grpc"));
    assertThat(endpoints.get(1).timeouts()).isEqualTo(Timeouts.DEFAULT);
    assertThat(endpoints.get(1).transportProperties())
        .isEqualTo(Map.of("anything", List.of(1, "two")));
    assertThat(endpoints.get(2))
        .isEqualTo(
            new HttpEndpointSpec(
                "com.plain/fn",
                "http://plain/fn",
                1000,
                Timeouts.DEFAULT,
                HttpEndpointSpec.OKHTTP_TRANSPORT,
                Map.of()));
  }

  @Test
  void httpVersionOfEitherTransport() {
    ModuleSpec module =
        parse(
            """
            kind: io.statefun.endpoints.v2/http
            spec:
              functions: com.cleartext/*
              urlPathTemplate: http://functions:8000/{function.name}
              transport:
                type: io.statefun.transports.v1/async
                protocol: h2c
            ---
            kind: io.statefun.endpoints.v2/http
            spec:
              functions: com.tls/*
              urlPathTemplate: https://functions/{function.name}
              transport:
                protocol: h2
            ---
            kind: io.statefun.endpoints.v2/http
            spec:
              functions: com.old/*
              urlPathTemplate: https://old/{function.name}
              transport:
                type: io.statefun.transports.v1/async
                protocol: http/1.1
            """);

    assertThat(module.endpoints())
        .extracting(endpoint -> endpoint.pool().protocol())
        .containsExactly(
            HttpEndpointSpec.Protocol.H2C,
            HttpEndpointSpec.Protocol.H2,
            HttpEndpointSpec.Protocol.HTTP_1_1);
  }

  @Test
  void httpVersionThatTheUrlCannotSpeak() {
    String module =
        """
        kind: io.statefun.endpoints.v2/http
        spec:
          functions: com.example/*
          urlPathTemplate: %s://functions/{function.name}
          transport:
            type: io.statefun.transports.v1/async
            protocol: %s
        """;

    assertThat(fails(module.formatted("http", "h2")))
        .hasMessage(
            SOURCE
                + ": document 1 (io.statefun.endpoints.v2/http): field 'spec.transport.protocol':"
                + " expected one of [auto, http/1.1, h2c] for an http URL, got 'h2'");
    assertThat(fails(module.formatted("https", "h2c")))
        .hasMessage(
            SOURCE
                + ": document 1 (io.statefun.endpoints.v2/http): field 'spec.transport.protocol':"
                + " expected one of [auto, http/1.1, h2] for an https URL, got 'h2c'");
    assertThat(fails(module.formatted("https", "h3")))
        .hasMessageEndingWith("expected one of [auto, http/1.1, h2] for an https URL, got 'h3'");
  }

  @Test
  void callTimeoutShorterThanTheDefaultsShrinksThem() {
    HttpEndpointSpec endpoint =
        parse(
                """
                kind: io.statefun.endpoints.v1/http
                spec:
                  functions: com.example/*
                  urlPathTemplate: http://example/{function.name}
                  timeouts:
                    call: 5s
                """)
            .endpoints()
            .get(0);

    Duration fiveSeconds = Duration.ofSeconds(5);
    assertThat(endpoint.timeouts())
        .isEqualTo(new Timeouts(fiveSeconds, fiveSeconds, fiveSeconds, fiveSeconds));
  }

  @Test
  void emptyDocumentsAreSkippedButCounted() {
    ModuleSpecException e =
        fails(
            """
            ---
            kind: io.stateweave.egress.v1/stdout
            spec: {id: example/out}
            ---
            ---
            kind: io.stateweave.egress.v1/stdout
            spec: {id: example/out}
            ---
            """);

    assertThat(e.document()).isEqualTo(3);
    assertThat(parse("kind: io.stateweave.egress.v1/stdout\nspec: {id: a/b}\n---\n").egresses())
        .containsExactly(new StdoutEgressSpec(type("a/b")));
  }

  @Test
  void loadsFromTheClasspathAndFromAFile(@TempDir Path directory) throws Exception {
    String location = "classpath:io/stateweave/flink/module/module.yaml";
    ModuleSpec fromClasspath = ModuleLoader.load(location);
    assertThat(fromClasspath.source()).isEqualTo(location);
    assertThat(fromClasspath.egresses()).containsExactly(new StdoutEgressSpec(type("example/out")));

    Path file = directory.resolve("module.yaml");
    Files.writeString(file, "kind: io.stateweave.egress.v1/collecting\nspec:\n  id: example/c\n");
    ModuleSpec fromFile = ModuleLoader.load(file.toString());
    assertThat(fromFile.source()).isEqualTo(file.toString());
    assertThat(fromFile.egresses()).containsExactly(new CollectingEgressSpec(type("example/c")));
  }

  @Test
  void durationsInUpstreamForms() {
    assertThat(Durations.parse("1min")).isEqualTo(Duration.ofMinutes(1));
    assertThat(Durations.parse("2 m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(Durations.parse(" 10 Seconds ")).isEqualTo(Duration.ofSeconds(10));
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("500")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("3 hours")).isEqualTo(Duration.ofHours(3));
    assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(Durations.parse("7µs")).isEqualTo(Duration.ofNanos(7_000));
    assertThat(Durations.parse("9 nanos")).isEqualTo(Duration.ofNanos(9));
    for (String invalid : List.of("", "min", "-1s", "1.5s", "5mins", "1 fortnight", "PT1M")) {
      assertThrows(IllegalArgumentException.class, () -> Durations.parse(invalid), invalid);
    }
  }

  // ---------------------------------------------------------------- mistakes

  @Test
  void yamlSyntaxErrorGivesLineAndColumn() {
    ModuleSpecException e = fails("kind: io.stateweave.egress.v1/stdout\nspec: id: example/out\n");

    assertThat(e)
        .hasMessage(
            SOURCE + ": line 2, column 9: invalid YAML: mapping values are not allowed here");
    assertThat(e.document()).isZero();
    assertThat(e.field()).isNull();
  }

  @Test
  void keyGivenTwice() {
    assertThat(fails("kind: io.stateweave.egress.v1/stdout\nkind: x/y\n"))
        .hasMessage(SOURCE + ": line 2, column 5: invalid YAML: Duplicate field 'kind'");
  }

  @Test
  void documentThatIsNotAMapping() {
    ModuleSpecException e =
        fails(
            """
            kind: io.stateweave.egress.v1/stdout
            spec: {id: example/out}
            ---
            - kind: io.stateweave.egress.v1/stdout
            """);

    assertThat(e)
        .hasMessage(SOURCE + ": document 2: expected a mapping with 'kind' and 'spec', got a list");
    assertThat(e.source()).isEqualTo(SOURCE);
    assertThat(e.document()).isEqualTo(2);
    assertThat(e.field()).isNull();
  }

  @Test
  void missingKind() {
    ModuleSpecException e = fails("spec: {id: example/out}\n");

    assertThat(e)
        .hasMessage(
            SOURCE
                + ": document 1: field 'kind': expected a kind, one of "
                + KINDS
                + ", got nothing");
    assertThat(e.field()).isEqualTo("kind");
  }

  @Test
  void unknownKindListsTheKnownOnes() {
    assertThat(fails("kind: io.stateweave.egress.v1/stdoot\nspec: {id: example/out}\n"))
        .hasMessage(
            SOURCE
                + ": document 1: field 'kind': expected a kind, one of "
                + KINDS
                + ", got 'io.stateweave.egress.v1/stdoot'");
  }

  @Test
  void kafkaIngressNeedsTopics() {
    ModuleSpecException e =
        fails(
            """
            kind: io.stateweave.egress.v1/stdout
            spec: {id: example/out}
            ---
            kind: io.statefun.kafka.v1/ingress
            spec:
              id: com.example/users
              address: kafka-broker:9092
              consumerGroupId: my-group
            """);

    assertThat(e.getMessage())
        .startsWith(SOURCE + ": document 2 (io.statefun.kafka.v1/ingress): field 'spec.topics'");
    assertThat(e.document()).isEqualTo(2);
  }

  @Test
  void unknownTopLevelKey() {
    assertThat(fails("kind: io.stateweave.egress.v1/stdout\nspec: {id: a/b}\nmeta: {}\n"))
        .hasMessage(
            SOURCE
                + ": document 1 (io.stateweave.egress.v1/stdout): field 'meta':"
                + " expected one of [kind, spec], got unknown field 'meta'");
  }

  @Test
  void misspelledSpecField() {
    ModuleSpecException e =
        fails(
            """
            kind: io.stateweave.ingress.v1/generator
            spec:
              id: example/names
              tagets: [example/greeter]
              records: [{id: a, value: b}]
            """);

    assertThat(e)
        .hasMessage(
            SOURCE
                + ": document 1 (io.stateweave.ingress.v1/generator): field 'spec.tagets':"
                + " expected one of [id, targets, valueType, records, count, ratePerSecond,"
                + " parallelism], got unknown field 'tagets'");
    assertThat(e.field()).isEqualTo("spec.tagets");
  }

  @Test
  void missingRequiredField() {
    assertThat(
            fails(
                """
                kind: io.stateweave.ingress.v1/file
                spec:
                  id: example/lines
                  targets: [example/greeter]
                """))
        .hasMessage(
            SOURCE
                + ": document 1 (io.stateweave.ingress.v1/file): field 'spec.path':"
                + " expected a file path, got nothing");
  }

  @Test
  void missingSpec() {
    assertThat(fails("kind: io.stateweave.egress.v1/collecting\n"))
        .hasMessage(
            SOURCE
                + ": document 1 (io.stateweave.egress.v1/collecting): field 'spec':"
                + " expected a mapping, got nothing");
  }

  @Test
  void targetsGivenAsAStringInsteadOfAList() {
    ModuleSpecException e =
        fails(
            """
            kind: io.stateweave.ingress.v1/file
            spec:
              id: example/lines
              targets: example/greeter
              path: names.txt
            """);

    assertThat(e)
        .hasMessage(
            SOURCE
                + ": document 1 (io.stateweave.ingress.v1/file): field 'spec.targets':"
                + " expected a non-empty list of function types, got 'example/greeter'");
    assertThat(e.field()).isEqualTo("spec.targets");
  }

  @Test
  void typeNameWithoutNamespace() {
    ModuleSpecException e =
        fails(
            """
            kind: io.stateweave.ingress.v1/file
            spec:
              id: example/lines
              targets: [example/counter, greeter]
              path: names.txt
            """);

    assertThat(e)
        .hasMessage(
            SOURCE
                + ": document 1 (io.stateweave.ingress.v1/file): field 'spec.targets[1]':"
                + " expected a function type <namespace>/<name>, got 'greeter'");
    assertThat(e.field()).isEqualTo("spec.targets[1]");
  }

  @Test
  void generatorValueThatIsNotOfItsValueType() {
    ModuleSpecException e =
        fails(
            """
            kind: io.stateweave.ingress.v1/generator
            spec:
              id: example/numbers
              targets: [example/counter]
              valueType: io.statefun.types/int
              records:
                - {id: a, value: 1}
                - {id: b, value: one}
            """);

    assertThat(e)
        .hasMessage(
            SOURCE
                + ": document 1 (io.stateweave.ingress.v1/generator): field"
                + " 'spec.records[1].value': expected a io.statefun.types/int value, got 'one'");
    assertThat(e.field()).isEqualTo("spec.records[1].value");
  }

  @Test
  void valueTypeThatCannotBeReadFromText() {
    assertThat(
            fails(
                """
                kind: io.stateweave.ingress.v1/file
                spec:
                  id: example/lines
                  targets: [example/greeter]
                  path: names.txt
                  valueType: com.example/User
                """))
        .hasMessage(
            SOURCE
                + ": document 1 (io.stateweave.ingress.v1/file): field 'spec.valueType':"
                + " expected one of [io.statefun.types/bool, io.statefun.types/int,"
                + " io.statefun.types/long, io.statefun.types/float, io.statefun.types/double,"
                + " io.statefun.types/string], got 'com.example/User'");
  }

  @Test
  void countThatIsNotPositive() {
    assertThat(
            fails(
                """
                kind: io.stateweave.ingress.v1/generator
                spec:
                  id: example/names
                  targets: [example/greeter]
                  records: [{id: a, value: b}]
                  count: 0
                """))
        .hasMessage(
            SOURCE
                + ": document 1 (io.stateweave.ingress.v1/generator): field 'spec.count':"
                + " expected a positive integer, got the number 0");
  }

  @Test
  void rateThatIsNeitherPositiveNorUnlimited() {
    String module =
        """
        kind: io.stateweave.ingress.v1/generator
        spec:
          id: example/names
          targets: [example/greeter]
          records: [{id: a, value: b}]
          ratePerSecond: %s
        """;

    assertThat(fails(module.formatted("0")))
        .hasMessage(
            SOURCE
                + ": document 1 (io.stateweave.ingress.v1/generator): field 'spec.ratePerSecond':"
                + " expected a positive number or 'unlimited', got the number 0");
    assertThat(fails(module.formatted("fast")))
        .hasMessage(
            SOURCE
                + ": document 1 (io.stateweave.ingress.v1/generator): field 'spec.ratePerSecond':"
                + " expected a positive number or 'unlimited', got 'fast'");
    assertThat(fails(module.formatted("[unlimited]")))
        .hasMessage(
            SOURCE
                + ": document 1 (io.stateweave.ingress.v1/generator): field 'spec.ratePerSecond':"
                + " expected a positive number or 'unlimited', got a list");
  }

  @Test
  void parallelismThatIsNotAPositiveInteger() {
    String module =
        """
        kind: io.stateweave.ingress.v1/generator
        spec:
          id: example/names
          targets: [example/greeter]
          records: [{id: a, value: b}]
          parallelism: %s
        """;

    assertThat(fails(module.formatted("0")))
        .hasMessage(
            SOURCE
                + ": document 1 (io.stateweave.ingress.v1/generator): field 'spec.parallelism':"
                + " expected a positive integer, got the number 0");
    assertThat(fails(module.formatted("1.5")))
        .hasMessage(
            SOURCE
                + ": document 1 (io.stateweave.ingress.v1/generator): field 'spec.parallelism':"
                + " expected a positive integer, got the number 1.5");
  }

  @Test
  void functionClassNotFound() {
    ModuleSpecException e =
        fails(
            """
            kind: io.stateweave.functions.v1/java
            spec:
              functions:
                - class: io.stateweave.flink.module.TestFunctions$Greeter
                - class: com.example.Missing
                  type: example/missing
            """);

    assertThat(e)
        .hasMessage(
            SOURCE
                + ": document 1 (io.stateweave.functions.v1/java): field 'spec.functions[1].class':"
                + " class com.example.Missing not found on the classpath");
    assertThat(e.field()).isEqualTo("spec.functions[1].class");
  }

  @Test
  void functionClassThatIsNoStatefulFunction() {
    assertThat(
            fails(
                """
                kind: io.stateweave.functions.v1/java
                spec:
                  functions:
                    - class: io.stateweave.flink.module.TestFunctions$NotAFunction
                      type: example/nothing
                """))
        .hasMessage(
            SOURCE
                + ": document 1 (io.stateweave.functions.v1/java): field 'spec.functions[0].class':"
                + " class io.stateweave.flink.module.TestFunctions$NotAFunction"
                + " does not implement io.stateweave.sdk.StatefulFunction");
  }

  @Test
  void providerClassThatIsNoProvider() {
    assertThat(
            fails(
                """
                kind: io.stateweave.functions.v1/java
                spec:
                  providers: [io.stateweave.flink.module.TestFunctions$Greeter]
                """))
        .hasMessage(
            SOURCE
                + ": document 1 (io.stateweave.functions.v1/java): field 'spec.providers[0]':"
                + " class io.stateweave.flink.module.TestFunctions$Greeter"
                + " does not implement io.stateweave.sdk.StatefulFunctionsProvider");
  }

  @Test
  void functionClassWithoutTypeOrAnnotation() {
    assertThat(
            fails(
                """
                kind: io.stateweave.functions.v1/java
                spec:
                  functions:
                    - class: io.stateweave.flink.module.TestFunctions$Echo
                """))
        .hasMessageStartingWith(
            SOURCE
                + ": document 1 (io.stateweave.functions.v1/java): field 'spec.functions[0].class':"
                + " io.stateweave.flink.module.TestFunctions$Echo has no @FunctionType annotation");
  }

  @Test
  void embeddedFunctionsWithoutAnyClass() {
    assertThat(fails("kind: io.stateweave.functions.v1/java\nspec:\n  functions: []\n"))
        .hasMessage(
            SOURCE
                + ": document 1 (io.stateweave.functions.v1/java): field 'spec':"
                + " expected at least one entry in 'functions' or 'providers', got none");
  }

  @Test
  void duplicateIngressId() {
    ModuleSpecException e =
        fails(
            """
            kind: io.stateweave.ingress.v1/file
            spec: {id: example/in, targets: [example/greeter], path: a.txt}
            ---
            kind: io.stateweave.ingress.v1/generator
            spec:
              id: example/in
              targets: [example/greeter]
              records: [{id: a, value: b}]
            """);

    assertThat(e)
        .hasMessage(
            SOURCE
                + ": document 2 (io.stateweave.ingress.v1/generator): field 'spec.id':"
                + " expected a unique ingress id, got example/in which document 1 already binds");
    assertThat(e.document()).isEqualTo(2);
    assertThat(e.field()).isEqualTo("spec.id");
  }

  @Test
  void duplicateEgressId() {
    assertThat(
            fails(
                """
                kind: io.stateweave.egress.v1/stdout
                spec: {id: example/out}
                ---
                kind: io.stateweave.egress.v1/collecting
                spec: {id: example/out}
                """))
        .hasMessage(
            SOURCE
                + ": document 2 (io.stateweave.egress.v1/collecting): field 'spec.id':"
                + " expected a unique egress id, got example/out which document 1 already binds");
  }

  @Test
  void functionTypeBoundTwiceAcrossDocuments() {
    ModuleSpecException e =
        fails(
            """
            kind: io.statefun.endpoints.v2/http
            spec:
              functions: example/shouter
              urlPathTemplate: http://shouter/
            ---
            kind: io.stateweave.functions.v1/java
            spec:
              functions:
                - class: io.stateweave.flink.module.TestFunctions$Greeter
              providers:
                - io.stateweave.flink.module.TestFunctions$Provider
            """);

    assertThat(e)
        .hasMessage(
            SOURCE
                + ": document 2 (io.stateweave.functions.v1/java):"
                + " expected a unique function type, got example/shouter which document 1 already"
                + " binds");
    assertThat(e.field()).isNull();
  }

  @Test
  void functionClassBoundTwiceNamesTheEntry() {
    assertThat(
            fails(
                """
                kind: io.stateweave.functions.v1/java
                spec:
                  functions: [{class: io.stateweave.flink.module.TestFunctions$Greeter}]
                ---
                kind: io.stateweave.functions.v1/java
                spec:
                  functions:
                    - class: io.stateweave.flink.module.TestFunctions$Echo
                      type: example/echo
                    - class: io.stateweave.flink.module.TestFunctions$Greeter
                """))
        .hasMessage(
            SOURCE
                + ": document 2 (io.stateweave.functions.v1/java): field 'spec.functions[1]':"
                + " expected a unique function type, got example/greeter which document 1 already"
                + " binds");
  }

  @Test
  void namespaceEndpointGivenTwice() {
    assertThat(
            fails(
                """
                kind: io.statefun.endpoints.v2/http
                spec: {functions: com.example/*, urlPathTemplate: "http://a/{function.name}"}
                ---
                kind: io.statefun.endpoints.v1/http
                spec: {functions: com.example/*, urlPathTemplate: "http://b/{function.name}"}
                """))
        .hasMessage(
            SOURCE
                + ": document 2 (io.statefun.endpoints.v1/http): field 'spec.functions':"
                + " expected a unique namespace, got com.example/* which document 1 already binds");
  }

  @Test
  void endpointFunctionsWithAPartialWildcard() {
    assertThat(
            fails(
                """
                kind: io.statefun.endpoints.v2/http
                spec: {functions: com.example/greet*, urlPathTemplate: "http://a/"}
                """))
        .hasMessage(
            SOURCE
                + ": document 1 (io.statefun.endpoints.v2/http): field 'spec.functions':"
                + " expected a function type <namespace>/<name> or a namespace <namespace>/*,"
                + " got 'com.example/greet*'");
  }

  @Test
  void endpointUrlWithAnUnsupportedScheme() {
    assertThat(
            fails(
                """
                kind: io.statefun.endpoints.v2/http
                spec: {functions: com.example/*, urlPathTemplate: "ftp://a/{function.name}"}
                """))
        .hasMessage(
            SOURCE
                + ": document 1 (io.statefun.endpoints.v2/http): field 'spec.urlPathTemplate':"
                + " expected an absolute URL with scheme [http, https, http+unix, https+unix],"
                + " optionally with {function.name}, got 'ftp://a/{function.name}'");
  }

  @Test
  void timeoutThatIsNoDuration() {
    assertThat(
            fails(
                """
                kind: io.statefun.endpoints.v2/http
                spec:
                  functions: com.example/*
                  urlPathTemplate: http://a/{function.name}
                  transport:
                    timeouts:
                      call: 1 fortnight
                """))
        .hasMessage(
            SOURCE
                + ": document 1 (io.statefun.endpoints.v2/http): field"
                + " 'spec.transport.timeouts.call': expected a positive duration such as 500ms,"
                + " 10s, 2 min or 1h (unknown unit 'fortnight', known: [d, day, days, h, hour,"
                + " hours, min, m, minute, minutes, s, sec, secs, second, seconds, ms, milli,"
                + " millis, millisecond, milliseconds, µs, micro, micros, microsecond,"
                + " microseconds, ns, nano, nanos, nanosecond, nanoseconds]), got '1 fortnight'");
  }

  @Test
  void timeoutLongerThanTheCall() {
    assertThat(
            fails(
                """
                kind: io.statefun.endpoints.v1/http
                spec:
                  functions: com.example/*
                  urlPathTemplate: http://a/{function.name}
                  timeouts: {call: 30s, read: 1 min}
                """))
        .hasMessage(
            SOURCE
                + ": document 1 (io.statefun.endpoints.v1/http): field 'spec.timeouts.read':"
                + " expected at most the call timeout of 30s, got '1 min'");
  }

  @Test
  void misspelledAsyncTransportProperty() {
    assertThat(
            fails(
                """
                kind: io.statefun.endpoints.v2/http
                spec:
                  functions: com.example/*
                  urlPathTemplate: http://a/{function.name}
                  transport:
                    type: io.statefun.transports.v1/async
                    pool_sise: 10
                """))
        .hasMessage(
            SOURCE
                + ": document 1 (io.statefun.endpoints.v2/http): field 'spec.transport.pool_sise':"
                + " expected one of [type, call, connect, pool_ttl, pool_size, payload_max_bytes,"
                + " trust_cacerts, client_cert, client_key, client_key_password, protocol],"
                + " got unknown field 'pool_sise'");
  }

  @Test
  void asyncTransportClientCertificateWithoutItsKey() {
    assertThat(
            fails(
                """
                kind: io.statefun.endpoints.v2/http
                spec:
                  functions: com.example/*
                  urlPathTemplate: https://a/{function.name}
                  transport:
                    type: io.statefun.transports.v1/async
                    client_cert: /certs/client.pem
                """))
        .hasMessage(
            SOURCE
                + ": document 1 (io.statefun.endpoints.v2/http): field 'spec.transport.client_key':"
                + " expected a PEM file path or classpath: resource, given with client_cert,"
                + " got nothing");
  }

  @Test
  void fileWithoutComponents() {
    ModuleSpecException e = fails("# nothing here yet\n---\n");

    assertThat(e)
        .hasMessage(
            SOURCE
                + ": expected at least one component (a document with 'kind' and 'spec'), got"
                + " none");
    assertThat(e.document()).isZero();
  }

  @Test
  void classpathResourceNotFound() {
    ModuleSpecException e =
        assertThrows(ModuleSpecException.class, () -> ModuleLoader.load("classpath:/missing.yaml"));

    assertThat(e)
        .hasMessage(
            "classpath:/missing.yaml: expected a resource on the classpath, got none named"
                + " missing.yaml");
    assertThat(e.source()).isEqualTo("classpath:/missing.yaml");
    assertThat(e.document()).isZero();
  }

  @Test
  void fileNotFound(@TempDir Path directory) {
    String location = directory.resolve("absent.yaml").toString();

    assertThat(assertThrows(ModuleSpecException.class, () -> ModuleLoader.load(location)))
        .hasMessage(location + ": expected a module file, got no such file");
  }

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
