package io.stateweave.flink.ingress;

import io.stateweave.flink.module.GeneratorIngressSpec;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import io.stateweave.sdk.types.PrimitiveType;
import io.stateweave.sdk.types.Types;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * Maps the generator's sequence number to a record of the generator ingress: number {@code i} is
 * {@code records[i % n]}. The sequence number is what {@code DataGeneratorSource} checkpoints, so
 * after a restore the cycle continues where it stopped.
 */
final class GeneratedRecords implements GeneratorFunction<Long, IngressRecord> {
  private static final long serialVersionUID = 1L;

  // Type names are not serializable: the function travels with the job graph as plain strings.
  private final String ingress;
  private final String valueType;
  private final List<GeneratorIngressSpec.Record> records;

  private transient List<IngressRecord> cycle;

  GeneratedRecords(GeneratorIngressSpec spec) {
    if (spec.records().isEmpty()) {
      throw new IllegalArgumentException("generator ingress " + spec.id() + " has no records");
    }
    this.ingress = spec.id().canonical();
    this.valueType = spec.valueType().canonical();
    this.records = spec.records();
    // parsed here once so that a bad value fails the job's construction, not the running job
    this.cycle = parse();
  }

  @Override
  public void open(SourceReaderContext readerContext) {
    cycle = parse();
  }

  @Override
  public IngressRecord map(Long sequenceNumber) {
    return cycle.get((int) (sequenceNumber % cycle.size()));
  }

  private List<IngressRecord> parse() {
    TypeName ingressId = TypeName.parse(ingress);
    PrimitiveType<?> type = Types.primitive(TypeName.parse(valueType));
    if (type == null) {
      throw new IllegalArgumentException(
          "generator ingress "
              + ingress
              + ": value type "
              + valueType
              + " cannot be read from text; supported: "
              + Types.primitives());
    }
    List<IngressRecord> parsed = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      GeneratorIngressSpec.Record record = records.get(i);
      try {
        TypedValue value = type.fromText(record.value());
        parsed.add(new IngressRecord(ingressId, record.id(), value));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "generator ingress "
                + ingress
                + ", record "
                + i
                + " (id "
                + record.id()
                + "): "
                + e.getMessage(),
            e);
      }
    }
    // records are immutable, so one instance per entry can be emitted any number of times
    return List.copyOf(parsed);
  }
}
