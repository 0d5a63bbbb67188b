package io.stateweave.flink.module;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a {@code module.yaml}: one component per YAML document, each a {@code kind} and a {@code
 * spec}, in StateFun's 3.1+ format plus our own kinds. Everything is checked here, before the job
 * is built, and every mistake is a {@link ModuleSpecException} that points at it.
 */
public final class ModuleLoader {
  private ModuleLoader() {}

  private static final String CLASSPATH = "classpath:";

  private static final List<String> KINDS =
      List.of(
          EmbeddedFunctionsSpec.KIND.canonical(),
          GeneratorIngressSpec.KIND.canonical(),
          FileIngressSpec.KIND.canonical(),
          StdoutEgressSpec.KIND.canonical(),
          CollectingEgressSpec.KIND.canonical(),
          HttpEndpointSpec.KIND_V2.canonical(),
          HttpEndpointSpec.KIND_V1.canonical(),
          KafkaIngressSpec.KIND.canonical(),
          KafkaEgressSpec.KIND.canonical(),
          ProcessorTaskParser.KIND.canonical(),
          EntitiesSpec.KIND.canonical(),
          TransactionsKafkaSpec.KIND.canonical());

  // yes/no/on/off stay text (YAML 1.2), and a key given twice is an error, not "last one wins"
  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  /** Loads a file path, or a resource of the context class loader given as {@code classpath:x}. */
  public static ModuleSpec load(String location) {
    return parse(read(location), location);
  }

  /**
   * Loads several module files into one module, as {@link #load(String)} loads one: each file in
   * its own format, so that a StateFun 2.x file runs unchanged beside 3.1+ documents in another;
   * ids and function types must be unique across them.
   */
  public static ModuleSpec load(List<String> locations) {
    Map<String, String> yamlBySource = new LinkedHashMap<>();
    for (String location : locations) {
      yamlBySource.put(location, read(location));
    }
    return parse(yamlBySource);
  }

  /** Parses module YAML; {@code sourceName} starts every error message. */
  public static ModuleSpec parse(String yaml, String sourceName) {
    return parse(Map.of(sourceName, yaml));
  }

  /** Parses the YAML of several module files, by source name, in the map's order. */
  public static ModuleSpec parse(Map<String, String> yamlBySource) {
    if (yamlBySource.isEmpty()) {
      throw new IllegalArgumentException("expected at least one module file, got none");
    }
    ModuleAssembler module = new ModuleAssembler(String.join(" + ", yamlBySource.keySet()));
    yamlBySource.forEach((source, yaml) -> parse(yaml, source, module));
    return module.build();
  }

  private static void parse(String yaml, String sourceName, ModuleAssembler module) {
    List<JsonNode> documents = documents(yaml, sourceName);
    int firstLegacy = 0;
    int firstComponent = 0;
    for (int i = 0; i < documents.size(); i++) {
      JsonNode node = documents.get(i);
      // an empty document, e.g. after a trailing '---', holds nothing to load
      if (node.isNull()) {
        continue;
      }
      Field document = Field.root(new Document(sourceName, i + 1, null), node);
      if (LegacyModuleParser.isLegacy(node)) {
        firstLegacy = firstLegacy == 0 ? i + 1 : firstLegacy;
        refuseMixing(document.get("version"), firstComponent, "a 'kind'/'spec' document");
        LegacyModuleParser.parse(document, module);
      } else {
        firstComponent = firstComponent == 0 ? i + 1 : firstComponent;
        refuseMixing(document, firstLegacy, "a module with 'version'");
        component(document, module);
      }
    }
  }

  /**
   * One file, one format: the older formats are one module per file, and a reader of a file that
   * mixes them could not tell which of two definitions of a function is meant.
   */
  private static void refuseMixing(Field document, int otherFormat, String other) {
    if (otherFormat > 0) {
      throw document.error(
          "expected the format of document "
              + otherFormat
              + ", got another: a module file is either 'kind'/'spec' documents (StateFun 3.1+)"
              + " or one module with 'version' (StateFun 2.x and 3.0), and document "
              + otherFormat
              + " is "
              + other
              + "; write the whole file in one of them");
    }
  }

  private static void component(Field document, ModuleAssembler module) {
    document.mapping("a mapping with 'kind' and 'spec'");
    Field kindField = document.get("kind");
    String kind = kindField.text("a kind, one of " + KINDS);
    if (!KINDS.contains(kind)) {
      throw kindField.expected("a kind, one of " + KINDS);
    }
    Field spec =
        document
            .ofKind(kind)
            .mapping("a mapping with 'kind' and 'spec'", List.of("kind", "spec"))
            .get("spec");
    if (kind.equals(EmbeddedFunctionsSpec.KIND.canonical())) {
      EmbeddedFunctionsSpec functions = EmbeddedFunctionsParser.parse(spec);
      module.functions(functions, EmbeddedFunctionsParser.instantiate(functions, spec), spec);
    } else if (kind.equals(GeneratorIngressSpec.KIND.canonical())) {
      module.ingress(BuiltInParser.generator(spec), spec);
    } else if (kind.equals(FileIngressSpec.KIND.canonical())) {
      module.ingress(BuiltInParser.file(spec), spec);
    } else if (kind.equals(StdoutEgressSpec.KIND.canonical())) {
      module.egress(new StdoutEgressSpec(BuiltInParser.egressId(spec)), spec);
    } else if (kind.equals(CollectingEgressSpec.KIND.canonical())) {
      module.egress(new CollectingEgressSpec(BuiltInParser.egressId(spec)), spec);
    } else if (kind.equals(KafkaIngressSpec.KIND.canonical())) {
      module.ingress(KafkaParser.ingress(spec), spec);
    } else if (kind.equals(KafkaEgressSpec.KIND.canonical())) {
      module.egress(KafkaParser.egress(spec), spec);
    } else if (kind.equals(ProcessorTaskParser.KIND.canonical())) {
      module.processor(ProcessorTaskParser.parse(spec), spec);
    } else if (kind.equals(EntitiesSpec.KIND.canonical())) {
      EntitiesSpec entities = TransactionsParser.entities(spec);
      module.entities(entities, TransactionsParser.instantiate(entities, spec), spec);
    } else if (kind.equals(TransactionsKafkaSpec.KIND.canonical())) {
      module.transactions(TransactionsParser.kafka(spec), spec);
    } else if (kind.equals(HttpEndpointSpec.KIND_V2.canonical())) {
      module.endpoint(HttpEndpointParser.v2(spec), spec);
    } else {
      module.endpoint(HttpEndpointParser.v1(spec), spec);
    }
  }

  private static String read(String location) {
    if (location.startsWith(CLASSPATH)) {
      String resource = location.substring(CLASSPATH.length());
      // class loaders resolve resources from the root, without a leading slash
      String name = resource.startsWith("/") ? resource.substring(1) : resource;
      try (InputStream in =
          Thread.currentThread().getContextClassLoader().getResourceAsStream(name)) {
        if (in == null) {
          throw notReadable(
              location, "expected a resource on the classpath, got none named " + name, null);
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw notReadable(location, "cannot be read: " + e.getMessage(), e);
      }
    }
    Path path = Path.of(location);
    if (!Files.isRegularFile(path)) {
      throw notReadable(location, "expected a module file, got no such file", null);
    }
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw notReadable(location, "cannot be read: " + e.getMessage(), e);
    }
  }

  private static ModuleSpecException notReadable(String location, String detail, Throwable cause) {
    return new ModuleSpecException(location, 0, null, null, detail, cause);
  }

  private static List<JsonNode> documents(String yaml, String source) {
    List<JsonNode> documents = new ArrayList<>();
    try (MappingIterator<JsonNode> values = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (values.hasNextValue()) {
        documents.add(values.nextValue());
      }
    } catch (JsonProcessingException e) {
      throw syntaxError(source, e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading a String cannot fail", e);
    }
    return documents;
  }

  /** SnakeYAML knows the problem and its position best; Jackson's own checks only Jackson. */
  private static ModuleSpecException syntaxError(String source, JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
      Mark mark = yaml.getProblemMark();
      String problem =
          yaml.getContext() == null
              ? yaml.getProblem()
              : yaml.getContext() + ", " + yaml.getProblem();
      return ModuleSpecException.syntax(
          source, mark.getLine() + 1, mark.getColumn() + 1, problem, e);
    }
    JsonLocation location = e.getLocation();
    return ModuleSpecException.syntax(
        source, location.getLineNr(), location.getColumnNr(), e.getOriginalMessage(), e);
  }
}
