package io.stateweave.bench;

import io.stateweave.flink.ingress.IngressRecord;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * The records of the benchmarks' bounded generator ingresses: record i is for address i mod 10,000.
 */
final class Generators {
  static final TypeName INGRESS = TypeName.parse("bench/in");

  private Generators() {}

  /** count and delay: the int 1 for address i mod 10,000. */
  static final class Ones implements GeneratorFunction<Long, IngressRecord> {
    private static final long serialVersionUID = 1L;
    private static final TypedValue ONE = TypedValue.of(1);

    @Override
    public IngressRecord map(Long i) {
      return new IngressRecord(INGRESS, Addresses.id(i), ONE);
    }
  }

  /** The baseline's records: the same keys and values, as a hand-written job would have them. */
  static final class BaselineOnes implements GeneratorFunction<Long, Tuple2<String, Integer>> {
    private static final long serialVersionUID = 1L;

    @Override
    public Tuple2<String, Integer> map(Long i) {
      return Tuple2.of(Addresses.id(i), 1);
    }
  }

  /** chain: the first step of chain i, stamped with the time it leaves the source. */
  static final class ChainStarts implements GeneratorFunction<Long, IngressRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public IngressRecord map(Long i) {
      long random = Addresses.mix(i);
      return new IngressRecord(
          INGRESS, Addresses.id(random >>> 33), ChainFunction.step(System.nanoTime(), 0, random));
    }
  }
}
