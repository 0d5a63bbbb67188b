package io.stateweave.flink.api;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.types.PrimitiveType;
import io.stateweave.sdk.types.Types;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;

/** The functions' egresses that the program takes, as streams for its own sinks. */
public final class StatefulFunctionsStreams {
  private final Map<TypeName, DataStream<TypedValue>> egresses;

  StatefulFunctionsStreams(Map<TypeName, DataStream<TypedValue>> egresses) {
    this.egresses = Map.copyOf(egresses);
  }

  /** The records functions sent to egress {@code id}, as they sent them. */
  public DataStream<TypedValue> egress(TypeName id) {
    DataStream<TypedValue> records = egresses.get(Objects.requireNonNull(id, "id"));
    if (records == null) {
      throw new IllegalArgumentException(
          "Egress " + id + " was not added with withEgress; added: " + egresses.keySet());
    }
    return records;
  }

  /**
   * The records of egress {@code id} as values of one of StateFun's primitive types, by its Java
   * class ({@code String.class}, {@code Integer.class}, ...); a record of another type fails the
   * job naming the egress and both types.
   */
  public <T> DataStream<T> egress(TypeName id, Class<T> valueClass) {
    Objects.requireNonNull(valueClass, "valueClass");
    PrimitiveType<?> type = Types.primitive(valueClass);
    if (type == null) {
      throw new IllegalArgumentException(
          valueClass.getName()
              + " is not the class of one of StateFun's primitive types "
              + Types.primitives().stream().map(primitive -> primitive.javaClass().getSimpleName()).toList());
    }
    return egress(id)
        .map(new PrimitiveValues<>(id, valueClass), TypeInformation.of(valueClass))
        .name("egress " + id + " as " + type.typeName());
  }

  /** Reads each record as a value of the primitive type of {@code valueClass}. */
  private static final class PrimitiveValues<T> implements MapFunction<TypedValue, T> {
    private static final long serialVersionUID = 1L;
    private final TypeName egress;
    private final Class<T> valueClass;
    private transient PrimitiveType<?> type;

    PrimitiveValues(TypeName egress, Class<T> valueClass) {
      this.egress = egress;
      this.valueClass = valueClass;
    }

    @Override
    public T map(TypedValue record) {
      if (type == null) {
        type = Types.primitive(valueClass);
      }
      if (!record.typeName().equals(type.typeName())) {
        throw new IllegalArgumentException(
            "Egress "
                + egress
                + " got a record of type "
                + record.typeName()
                + ", not "
                + type.typeName());
      }
      return valueClass.cast(type.deserialize(record.bytes()));
    }
  }

}
