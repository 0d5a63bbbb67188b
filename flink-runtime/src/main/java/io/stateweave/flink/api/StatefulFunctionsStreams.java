package io.stateweave.flink.api;

import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import java.util.Map;
import java.util.Objects;
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

}
