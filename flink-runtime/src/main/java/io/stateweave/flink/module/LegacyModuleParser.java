package io.stateweave.flink.module;

import com.fasterxml.jackson.databind.JsonNode;
import io.stateweave.flink.module.HttpEndpointSpec.Timeouts;
import io.stateweave.sdk.TypeName;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a module in StateFun's formats before 3.1: one document with a {@code version} ("1.0" of
 * StateFun 2.0, "2.0" of 2.1 and 2.2, "3.0" of 3.0) and a {@code module} whose {@code spec} lists
 * functions or endpoints, ingresses and egresses, each wrapped as {@code - function: {meta, spec}}.
 * Every component becomes the one the 3.1+ format would have given, except 2.x functions, which
 * keep their protocol and eagerly declared states ({@link LegacyFunctionSpec}).
 *
 * <p>StateFun's own docs show some of these files indented one level short ({@code - function:}
 * with {@code meta} and {@code spec} beside it instead of under it, {@code meta:} empty with {@code
 * type} beside it, {@code spec} at the top, {@code endpoints} as one mapping); those forms are read
 * as meant, since users copied them.
 */
final class LegacyModuleParser {
  private LegacyModuleParser() {}

  private static final List<String> VERSIONS = List.of("1.0", "2.0", "3.0");
  private static final List<String> SCHEMES = List.of("http", "https", "http+unix", "https+unix");
  private static final String KINESIS = "Kinesis is not supported";

  /** Whether a document is in a format before 3.1: those name their format's version. */
  static boolean isLegacy(JsonNode document) {
    return document.isObject() && document.has("version");
  }

  static void parse(Field document, ModuleAssembler module) {
    document.mapping("a mapping with 'version' and 'module'");
    Field versionField = document.get("version");
    String version = versionField.isPresent() ? versionField.scalarText("a version") : null;
    if (!VERSIONS.contains(version)) {
      throw versionField.expected(
          "a module format version, one of "
              + VERSIONS
              + " (from StateFun 3.1 on, a module file has no version but one 'kind' and"
              + " 'spec' per document)");
    }
    Field root =
        document
            .ofKind("module format " + version)
            .mapping("a mapping with 'version' and 'module'", List.of("version", "module", "spec"));
    Field moduleField =
        root.get("module")
            .mapping("a mapping with 'meta' and 'spec'", List.of("meta", "spec", "type"));
    moduleType(moduleField);
    Field spec = moduleField.get("spec");
    if (!spec.isPresent()) {
      spec = root.get("spec");
    } else if (root.get("spec").isPresent()) {
      throw root.get("spec").error("expected 'spec' once, under 'module', got it twice");
    }
    if (version.equals("3.0")) {
      spec.mapping("a mapping", List.of("endpoints", "ingresses", "egresses"));
      for (Field endpoint : entries(spec.get("endpoints"), "endpoint")) {
        endpoint(endpoint, module);
      }
    } else {
      spec.mapping("a mapping", List.of("functions", "ingresses", "egresses", "routers"));
      if (spec.get("routers").isPresent()) {
        throw spec.get("routers")
            .error(
                "routers are not supported: they routed the records of"
                    + " statefun.kafka.io/protobuf-ingress through an embedded module; use"
                    + " statefun.kafka.io/routable-protobuf-ingress, which routes by the record"
                    + " key");
      }
      for (Field function : entries(spec.get("functions"), "function")) {
        module.legacyFunction(function(function, version), function.get("meta").get("type"));
      }
    }
    for (Field ingress : entries(spec.get("ingresses"), "ingress")) {
      ingress(ingress, version, module);
    }
    for (Field egress : entries(spec.get("egresses"), "egress")) {
      egress(egress, version, module);
    }
  }

  /** A remote module is all these files can declare; 2.x embedded modules were Java jars. */
  private static void moduleType(Field moduleField) {
    Field meta = moduleField.get("meta");
    Field type;
    if (meta.isPresent()) {
      type = meta.mapping("a mapping with 'type'", List.of("type")).get("type");
      if (moduleField.get("type").isPresent()) {
        throw moduleField.get("type").error("expected 'type' once, under 'meta', got it twice");
      }
    } else {
      type = moduleField.get("type");
    }
    if (!"remote".equals(type.text("the module type 'remote'"))) {
      throw type.expected(
          "the module type 'remote' (embedded modules of the StateFun 2.x Java SDK are not"
              + " supported: bind Java functions written against Stateweave's API with"
              + " io.stateweave.functions.v1/java)");
    }
  }

  /**
   * The components of a list such as {@code functions}: each {@code - <wrapper>: {meta, spec}}, or,
   * as some docs indent it, {@code meta} and {@code spec} beside an empty wrapper key; a single
   * mapping stands for a list of one.
   */
  private static List<Field> entries(Field field, String wrapper) {
    if (!field.isPresent()) {
      return List.of();
    }
    List<Field> items =
        field.isMapping() ? List.of(field) : field.list("'- " + wrapper + ":' entries");
    List<Field> entries = new ArrayList<>(items.size());
    String what = "a mapping with '" + wrapper + "', whose 'meta' and 'spec' describe it";
    for (Field item : items) {
      item.mapping(what);
      Field wrapped = item.get(wrapper);
      if (wrapped.isPresent()) {
        item.mapping(what, List.of(wrapper));
        entries.add(wrapped.mapping("a mapping with 'meta' and 'spec'", List.of("meta", "spec")));
      } else {
        entries.add(item.mapping(what, List.of(wrapper, "meta", "spec")));
      }
    }
    return entries;
  }

  private static LegacyFunctionSpec function(Field function, String version) {
    Field meta =
        function.get("meta").mapping("a mapping with 'kind' and 'type'", List.of("kind", "type"));
    Field kind = meta.get("kind");
    if (!"http".equals(kind.text("the function kind 'http'"))) {
      throw kind.expected("the function kind 'http'");
    }
    Field typeField = meta.get("type");
    TypeName type = typeField.typeName("a function type");
    if (type.canonical().contains("*")) {
      throw typeField.expected(
          "one function type <namespace>/<name> (namespaces are served by the 'endpoints' of"
              + " format 3.0)");
    }
    boolean v2 = version.equals("2.0");
    Field spec =
        function
            .get("spec")
            .mapping(
                "a mapping",
                v2
                    ? List.of(
                        "endpoint",
                        "states",
                        "maxNumBatchRequests",
                        "timeout",
                        "connectTimeout",
                        "readTimeout",
                        "writeTimeout")
                    : List.of("endpoint", "states", "maxNumBatchRequests", "timeout"));
    Duration call = spec.get("timeout").duration(Timeouts.DEFAULT.call());
    Timeouts timeouts =
        new Timeouts(
            call,
            spec.get("connectTimeout").duration(atMost(Timeouts.DEFAULT.connect(), call)),
            spec.get("readTimeout").duration(atMost(Timeouts.DEFAULT.read(), call)),
            spec.get("writeTimeout").duration(atMost(Timeouts.DEFAULT.write(), call)));
    return new LegacyFunctionSpec(
        type,
        endpoint(spec.get("endpoint")),
        states(spec.get("states"), v2),
        spec.get("maxNumBatchRequests")
            .positiveInt(HttpEndpointSpec.DEFAULT_MAX_NUM_BATCH_REQUESTS),
        timeouts);
  }

  private static Duration atMost(Duration duration, Duration call) {
    return duration.compareTo(call) > 0 ? call : duration;
  }

  private static String endpoint(Field field) {
    String what = "an absolute URL with scheme " + SCHEMES;
    String url = field.text(what);
    try {
      String scheme = new URI(url).getScheme();
      if (scheme == null || !SCHEMES.contains(scheme.toLowerCase(Locale.ROOT))) {
        throw field.expected(what);
      }
    } catch (URISyntaxException e) {
      throw field.expected(what);
    }
    return url;
  }

  /** 1.0 lists the names; 2.0 lists {@code {name, expireAfter}}. */
  private static List<LegacyFunctionSpec.State> states(Field field, boolean v2) {
    List<LegacyFunctionSpec.State> states = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Field state : field.optionalList(v2 ? "states with 'name'" : "state names")) {
      Field name =
          v2
              ? state.mapping("a mapping with 'name'", List.of("name", "expireAfter")).get("name")
              : state;
      String text = name.text("a state name");
      if (!names.add(text)) {
        throw name.expected("a state name not declared before");
      }
      Duration expireAfter =
          v2 ? state.get("expireAfter").duration(Duration.ZERO, true) : Duration.ZERO;
      states.add(new LegacyFunctionSpec.State(text, expireAfter));
    }
    return states;
  }

  private static void endpoint(Field endpoint, ModuleAssembler module) {
    Field kind = endpoint.get("meta").mapping("a mapping with 'kind'", List.of("kind")).get("kind");
    if (!"http".equals(kind.text("the endpoint kind 'http'"))) {
      throw kind.expected("the endpoint kind 'http'");
    }
    Field spec = endpoint.get("spec");
    module.endpoint(HttpEndpointParser.v1(spec), spec);
  }

  private static void ingress(Field ingress, String version, ModuleAssembler module) {
    Field meta =
        ingress.get("meta").mapping("a mapping with 'type' and 'id'", List.of("type", "id"));
    Field typeField = meta.get("type");
    String kafka =
        version.equals("3.0")
            ? "io.statefun.kafka/ingress"
            : "statefun.kafka.io/routable-protobuf-ingress";
    String type = typeField.text("the ingress type " + kafka);
    if (type.equals(kafka)) {
      String valueType = version.equals("3.0") ? "valueType" : "typeUrl";
      module.ingressNamedBy(
          KafkaParser.legacyIngress(meta.get("id"), ingress.get("spec"), valueType),
          meta.get("id"));
    } else if (type.contains("kinesis")) {
      throw typeField.error(KINESIS + ", got ingress type '" + type + "'");
    } else if (type.equals("statefun.kafka.io/protobuf-ingress")) {
      throw typeField.error(
          "statefun.kafka.io/protobuf-ingress is not supported: it needed a router of an"
              + " embedded module; use "
              + kafka
              + ", which routes by the record key");
    } else {
      throw typeField.expected("the ingress type " + kafka);
    }
  }

  private static void egress(Field egress, String version, ModuleAssembler module) {
    Field meta =
        egress.get("meta").mapping("a mapping with 'type' and 'id'", List.of("type", "id"));
    Field typeField = meta.get("type");
    String kafka =
        version.equals("3.0") ? "io.statefun.kafka/egress" : "statefun.kafka.io/generic-egress";
    String type = typeField.text("the egress type " + kafka);
    if (type.equals(kafka)) {
      module.egressNamedBy(
          KafkaParser.legacyEgress(meta.get("id"), egress.get("spec")), meta.get("id"));
    } else if (type.contains("kinesis")) {
      throw typeField.error(KINESIS + ", got egress type '" + type + "'");
    } else {
      throw typeField.expected("the egress type " + kafka);
    }
  }
}
