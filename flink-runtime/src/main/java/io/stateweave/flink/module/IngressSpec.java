package io.stateweave.flink.module;

import io.stateweave.sdk.TypeName;
import java.io.Serializable;
import java.util.List;

/** An ingress: where records come from and which function types they go to. */
public interface IngressSpec extends Serializable {
  TypeName id();

  /** Function types each record is sent to, at the address with the record's id. */
  List<TypeName> targets();
}
