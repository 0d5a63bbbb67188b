package io.stateweave.bench;

import io.stateweave.flink.processor.ProcessorRecord;
import java.nio.charset.StandardCharsets;

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

  /**
   * processor: the same keys, as Kafka keys, and the byte 1. The keys' bytes are made once, as the
   * baseline's strings are: records are immutable, so they may share them.
   */
  static final class ProcessorOnes implements GeneratorFunction<Long, ProcessorRecord> {
    private static final long serialVersionUID = 1L;
    private static final byte[] ONE = {1};

    private transient byte[][] keys;

    @Override
    public ProcessorRecord map(Long i) {
      if (keys == null) {
        keys = new byte[Addresses.COUNT][];
        for (int id = 0; id < Addresses.COUNT; id++) {
          keys[id] = Addresses.id(id).getBytes(StandardCharsets.ISO_8859_1);
        }
      }
      return new ProcessorRecord(0, keys[(int) (i % Addresses.COUNT)], ONE);
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

  /**
   * chain: the first step of chain i, stamped with the time it is due to leave the source: now at
   * full speed, else on the open-loop schedule of {@link Pacer} at {@code chainsPerSecond} per
   * source subtask.
   */
  static final class ChainStarts implements GeneratorFunction<Long, IngressRecord> {
    private static final long serialVersionUID = 1L;

    private final double chainsPerSecond;
    private transient Pacer pacer;

    /** {@code chainsPerSecond} per source subtask; 0 for full speed. */
    ChainStarts(double chainsPerSecond) {
      if (chainsPerSecond < 0) {
        throw new IllegalArgumentException("negative rate " + chainsPerSecond);
      }
      this.chainsPerSecond = chainsPerSecond;
    }

    @Override
    public IngressRecord map(Long i) {
      if (pacer == null) {
        pacer = new Pacer(chainsPerSecond);
      }
      long random = Addresses.mix(i);
      return new IngressRecord(
          INGRESS, Addresses.id(random >>> 33), ChainFunction.step(pacer.due(), 0, random));
    }
  }
}
