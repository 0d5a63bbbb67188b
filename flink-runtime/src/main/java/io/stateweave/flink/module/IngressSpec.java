package io.stateweave.flink.module;

import io.stateweave.sdk.TypeName;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** An ingress: where records come from and which function types they go to. */
public interface IngressSpec extends Serializable {
  TypeName id();

  /** Function types each record is sent to, at the address with the record's id. */
  List<TypeName> targets();

  /**
   * The routes of this ingress's records: the name an {@code IngressRecord} carries, and the
   * function types it goes to. One route by default; an ingress whose parts route differently
   * (Kafka topics) has one per part.
   */
  default Map<TypeName, List<TypeName>> routes() {
    return Map.of(id(), targets());
  }
}
