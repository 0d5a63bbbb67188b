package io.stateweave.flink.module;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.types.PrimitiveType;
import io.stateweave.sdk.types.Types;
import java.util.ArrayList;
import java.util.List;

/** Reads our built-in ingresses and egresses, for local runs and tests. */
final class BuiltInParser {
  private BuiltInParser() {}

  static GeneratorIngressSpec generator(Field spec) {
    spec.mapping(
        "a mapping",
        List.of("id", "targets", "valueType", "records", "count", "ratePerSecond", "parallelism"));
    TypeName id = spec.get("id").typeName("an ingress id");
    List<TypeName> targets = targets(spec.get("targets"));
    PrimitiveType<?> valueType = valueType(spec.get("valueType"));
    List<GeneratorIngressSpec.Record> records = new ArrayList<>();
    for (Field record : spec.get("records").list("mappings with 'id' and 'value'")) {
      record.mapping("a mapping with 'id' and 'value'", List.of("id", "value"));
      String address = record.get("id").scalarText("an address id");
      Field value = record.get("value");
      String text = value.scalarText("a " + valueType + " value");
      try {
        valueType.fromText(text);
      } catch (IllegalArgumentException e) {
        throw value.expected("a " + valueType + " value");
      }
      records.add(new GeneratorIngressSpec.Record(address, text));
    }
    long count = spec.get("count").positiveLong(-1);
    double ratePerSecond = ratePerSecond(spec.get("ratePerSecond"));
    int parallelism = spec.get("parallelism").positiveInt(1);
    return new GeneratorIngressSpec(
        id, targets, valueType.typeName(), records, count, ratePerSecond, parallelism);
  }

  /** A positive number, or {@code unlimited} for no rate limiter; 10 when absent. */
  private static double ratePerSecond(Field field) {
    if (!field.isPresent()) {
      return 10;
    }
    if (field.scalarText("a positive number or 'unlimited'").equals("unlimited")) {
      return GeneratorIngressSpec.UNLIMITED_RATE;
    }
    try {
      return field.positiveNumber(10);
    } catch (ModuleSpecException e) {
      throw field.expected("a positive number or 'unlimited'");
    }
  }

  static FileIngressSpec file(Field spec) {
    spec.mapping("a mapping", List.of("id", "targets", "path", "keyDelimiter", "valueType"));
    return new FileIngressSpec(
        spec.get("id").typeName("an ingress id"),
        targets(spec.get("targets")),
        spec.get("path").text("a file path"),
        spec.get("keyDelimiter").optionalText("a non-empty string"),
        valueType(spec.get("valueType")).typeName());
  }

  static TypeName egressId(Field spec) {
    spec.mapping("a mapping", List.of("id"));
    return spec.get("id").typeName("an egress id");
  }

  private static List<TypeName> targets(Field targets) {
    List<TypeName> result = new ArrayList<>();
    for (Field target : targets.list("function types")) {
      result.add(target.typeName("a function type"));
    }
    return result;
  }

  private static PrimitiveType<?> valueType(Field field) {
    PrimitiveType<?> valueType =
        Types.primitive(field.optionalTypeName("a value type", Types.STRING.typeName()));
    if (valueType == null) {
      throw field.expected("one of " + Types.primitives());
    }
    return valueType;
  }
}
