package io.stateweave.flink.module;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stateweave.sdk.TypeName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.MemorySize;

/**
 * A node of a module document together with its path, so that every accessor that rejects a value
 * can say exactly where it is, what it expected and what it found.
 */
final class Field {
  private static final ObjectMapper PLAIN = new ObjectMapper();

  private final Document document;
  private final String path;
  private final JsonNode node;

  private Field(Document document, String path, JsonNode node) {
    this.document = document;
    this.path = path;
    this.node = node;
  }

  /** The whole document; errors about it name no field. */
  static Field root(Document document, JsonNode node) {
    return new Field(document, null, node);
  }

  /** The same node, in a document whose kind is now known, so errors name it. */
  Field ofKind(String kind) {
    return new Field(document.withKind(kind), path, node);
  }

  String path() {
    return path;
  }

  Document document() {
    return document;
  }

  Field get(String key) {
    return new Field(document, path == null ? key : path + "." + key, node.path(key));
  }

  /** Absent and explicit {@code null} both mean "not given", as users write {@code key:} for it. */
  boolean isPresent() {
    return !node.isMissingNode() && !node.isNull();
  }

  boolean isMapping() {
    return node.isObject();
  }

  ModuleSpecException error(String detail) {
    return document.error(path, detail);
  }

  ModuleSpecException expected(String what) {
    return error("expected " + what + ", got " + describe(node));
  }

  Field mapping(String what) {
    if (!node.isObject()) {
      throw expected(what);
    }
    return this;
  }

  /** Requires a mapping whose keys are all in {@code allowed}: a typo must not pass silently. */
  Field mapping(String what, List<String> allowed) {
    mapping(what);
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw get(name).error("expected one of " + allowed + ", got unknown field '" + name + "'");
      }
    }
    return this;
  }

  String text(String what) {
    if (!node.isTextual() || node.textValue().isEmpty()) {
      throw expected(what);
    }
    return node.textValue();
  }

  /** Null when absent. */
  String optionalText(String what) {
    return isPresent() ? text(what) : null;
  }

  /** A scalar of any YAML type as text: an address id or a value written as {@code 42}. */
  String scalarText(String what) {
    if (!node.isValueNode() || node.isNull()) {
      throw expected(what);
    }
    return node.asText();
  }

  TypeName typeName(String what) {
    String text = text(what + " <namespace>/<name>");
    try {
      return TypeName.parse(text);
    } catch (IllegalArgumentException e) {
      throw expected(what + " <namespace>/<name>");
    }
  }

  TypeName optionalTypeName(String what, TypeName defaultValue) {
    return isPresent() ? typeName(what) : defaultValue;
  }

  /** The elements of a non-empty list. */
  List<Field> list(String what) {
    if (!node.isArray() || node.isEmpty()) {
      throw expected("a non-empty list of " + what);
    }
    List<Field> elements = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      elements.add(new Field(document, path + "[" + i + "]", node.get(i)));
    }
    return elements;
  }

  /** The elements of a list that may be absent or empty. */
  List<Field> optionalList(String what) {
    return isPresent() && !(node.isArray() && node.isEmpty()) ? list(what) : List.of();
  }

  long positiveLong(long defaultValue) {
    if (!isPresent()) {
      return defaultValue;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() <= 0) {
      throw expected("a positive integer");
    }
    return node.longValue();
  }

  int positiveInt(int defaultValue) {
    if (isPresent() && !node.canConvertToInt()) {
      throw expected("a positive integer of at most " + Integer.MAX_VALUE);
    }
    return (int) positiveLong(defaultValue);
  }

  boolean isNonNegativeInt() {
    return node.isIntegralNumber() && node.canConvertToInt() && node.intValue() >= 0;
  }

  int intValue() {
    return node.intValue();
  }

  double positiveNumber(double defaultValue) {
    if (!isPresent()) {
      return defaultValue;
    }
    if (!node.isNumber() || !(node.doubleValue() > 0) || Double.isInfinite(node.doubleValue())) {
      throw expected("a positive number");
    }
    return node.doubleValue();
  }

  /** Upstream reads a bare number as milliseconds, so integers are accepted next to text. */
  Duration duration(Duration defaultValue) {
    return duration(defaultValue, false);
  }

  Duration duration(Duration defaultValue, boolean zeroAllowed) {
    if (!isPresent()) {
      return defaultValue;
    }
    String what =
        (zeroAllowed ? "a duration" : "a positive duration") + " such as 500ms, 10s, 2 min or 1h";
    if (!node.isTextual() && !node.isIntegralNumber()) {
      throw expected(what);
    }
    Duration duration;
    try {
      duration = Durations.parse(node.asText());
    } catch (IllegalArgumentException e) {
      throw expected(what + " (" + e.getMessage() + ")");
    }
    if (duration.isZero() && !zeroAllowed) {
      throw expected(what);
    }
    return duration;
  }

  /** Flink's memory sizes: a bare number counts bytes, as in Flink's configuration. */
  MemorySize memorySize(MemorySize defaultValue) {
    if (!isPresent()) {
      return defaultValue;
    }
    String what = "a memory size such as 0, 512kb, 32mb or 1gb";
    if (!node.isTextual() && !node.isIntegralNumber()) {
      throw expected(what);
    }
    try {
      return MemorySize.parse(node.asText());
    } catch (IllegalArgumentException e) {
      throw expected(what + " (" + e.getMessage() + ")");
    }
  }

  /** The value as plain Java maps, lists and scalars, which travel with the job graph. */
  Map<String, Object> plainMap() {
    @SuppressWarnings("unchecked")
    Map<String, Object> map = PLAIN.convertValue(node, Map.class);
    return map;
  }

  static String describe(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return "nothing";
    }
    if (node.isTextual()) {
      return node.textValue().isEmpty() ? "an empty string" : "'" + node.textValue() + "'";
    }
    if (node.isNumber()) {
      return "the number " + node.asText();
    }
    if (node.isBoolean()) {
      return "the boolean " + node.asText();
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isObject()) {
      return "a mapping";
    }
    return node.getNodeType().toString().toLowerCase(Locale.ROOT);
  }
}
