package io.stateweave.flink.ingress;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.types.Type;
import io.stateweave.sdk.types.Types;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Turns text (a line of a file, a value in module.yaml) into a typed value of a primitive type. */
public final class ScalarValues {
  private ScalarValues() {}

  private static final Map<TypeName, Function<String, TypedValue>> PARSERS =
      Map.of(
          Types.STRING.typeName(), text -> TypedValue.of(text),
          Types.INT.typeName(), text -> of(Types.INT, Integer.valueOf(text.trim())),
          Types.LONG.typeName(), text -> of(Types.LONG, Long.valueOf(text.trim())),
          Types.DOUBLE.typeName(), text -> of(Types.DOUBLE, Double.valueOf(text.trim())),
          Types.FLOAT.typeName(), text -> of(Types.FLOAT, Float.valueOf(text.trim())),
          Types.BOOLEAN.typeName(), ScalarValues::parseBoolean);

  /** The value types text can be read as. */
  public static List<TypeName> supportedTypes() {
    return List.of(
        Types.STRING.typeName(),
        Types.INT.typeName(),
        Types.LONG.typeName(),
        Types.DOUBLE.typeName(),
        Types.FLOAT.typeName(),
        Types.BOOLEAN.typeName());
  }

  public static boolean supports(TypeName valueType) {
    return PARSERS.containsKey(valueType);
  }

  /**
   * Throws {@link IllegalArgumentException} naming the type and the text when it does not parse.
   */
  public static TypedValue parse(TypeName valueType, String text) {
    Function<String, TypedValue> parser = PARSERS.get(valueType);
    if (parser == null) {
      throw new IllegalArgumentException(
          "value type " + valueType + " cannot be read from text; supported: " + supportedTypes());
    }
    try {
      return parser.apply(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a valid " + valueType + " value", e);
    }
  }

  private static <T> TypedValue of(Type<T> type, T value) {
    return TypedValue.of(type, value);
  }

  private static TypedValue parseBoolean(String text) {
    String trimmed = text.trim();
    if (!trimmed.equalsIgnoreCase("true") && !trimmed.equalsIgnoreCase("false")) {
      throw new NumberFormatException(text);
    }
    return TypedValue.of(Boolean.parseBoolean(trimmed));
  }
}
