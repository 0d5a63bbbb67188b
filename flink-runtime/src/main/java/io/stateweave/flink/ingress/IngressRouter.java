package io.stateweave.flink.ingress;

import io.stateweave.flink.message.Envelope;
import io.stateweave.sdk.Address;
import io.stateweave.sdk.TypeName;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Turns an ingress record into one message per target function type, at the record's id. */
public final class IngressRouter implements FlatMapFunction<IngressRecord, Envelope> {
  private static final long serialVersionUID = 1L;

  private final Map<TypeName, List<TypeName>> targetsByIngress;

  public IngressRouter(Map<TypeName, List<TypeName>> targetsByIngress) {
    this.targetsByIngress = Map.copyOf(targetsByIngress);
  }

  @Override
  public void flatMap(IngressRecord record, Collector<Envelope> out) {
    List<TypeName> targets = targetsByIngress.get(record.ingress());
    if (targets == null) {
      throw new IllegalStateException(
          "Record from ingress " + record.ingress() + ", which the module does not define");
    }
    if (record.id() == null) {
      throw new IllegalStateException(
          "Record from ingress " + record.ingress() + " has no id to address functions with");
    }
    for (TypeName target : targets) {
      out.collect(new Envelope(new Address(target, record.id()), null, record.value()));
    }
  }
}
