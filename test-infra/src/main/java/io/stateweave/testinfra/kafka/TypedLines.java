package io.stateweave.testinfra.kafka;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.types.PrimitiveType;
import io.stateweave.sdk.types.Types;
import java.util.Map;

/**
 * The settings the command-line producer and consumer share ({@code kafka.sh produce/consume}):
 * the StateFun type of the records' values, and what separates a line's key from its value.
 */
final class TypedLines {
  static final String VALUE_TYPE = "value.type";
  static final String KEY_SEPARATOR = "key.separator";
  static final String DEFAULT_VALUE_TYPE = "io.statefun.types/string";
  static final String DEFAULT_KEY_SEPARATOR = "\t";

  final PrimitiveType<?> valueType;
  final String keySeparator;

  private TypedLines(PrimitiveType<?> valueType, String keySeparator) {
    this.valueType = valueType;
    this.keySeparator = keySeparator;
  }

  static TypedLines of(Map<String, ?> configs) {
    String typeName = setting(configs, VALUE_TYPE, DEFAULT_VALUE_TYPE);
    PrimitiveType<?> type = Types.primitive(TypeName.parse(typeName));
    if (type == null) {
      throw new IllegalArgumentException(
          VALUE_TYPE
              + " '"
              + typeName
              + "' is not one of StateFun's primitive types "
              + Types.primitives().stream().map(PrimitiveType::typeName).toList());
    }
    String separator = setting(configs, KEY_SEPARATOR, DEFAULT_KEY_SEPARATOR);
    if (separator.isEmpty()) {
      throw new IllegalArgumentException(KEY_SEPARATOR + " must not be empty");
    }
    return new TypedLines(type, separator);
  }

  private static String setting(Map<String, ?> configs, String key, String defaultValue) {
    Object value = configs.get(key);
    return value == null ? defaultValue : value.toString();
  }
}
