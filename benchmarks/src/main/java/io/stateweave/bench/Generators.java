package io.stateweave.bench;

import io.stateweave.flink.processor.ProcessorRecord;
import java.nio.charset.StandardCharsets;

import io.stateweave.flink.ingress.IngressRecord;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import java.util.concurrent.locks.LockSupport;
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

  /** processor: the same keys, as Kafka keys, and the byte 1. */
  static final class ProcessorOnes implements GeneratorFunction<Long, ProcessorRecord> {
    private static final long serialVersionUID = 1L;
    private static final byte[] ONE = {1};

    @Override
    public ProcessorRecord map(Long i) {
      return new ProcessorRecord(0, Addresses.id(i).getBytes(StandardCharsets.ISO_8859_1), ONE);
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
   * chain: the first step of chain i, stamped with the time it is due to leave the source. At full
   * speed that is now. At a fixed offered load ({@code chainsPerSecond} per source subtask) the
   * k-th chain of a subtask is due k / rate after its first, and the source waits until then when
   * it is more than a millisecond early: an open-loop schedule, in which a chain held up by a
   * stalled pipeline counts from when it should have left, not from when the stall let it go
   * (Flink's rate limiter stamps late and then catches up in a burst, and hands every acquisition
   * to a thread of its own).
   */
  static final class ChainStarts implements GeneratorFunction<Long, IngressRecord> {
    private static final long serialVersionUID = 1L;
    private static final long EARLY_NANOS = 1_000_000;

    private final double nanosPerChain;
    private transient long firstDueNanos;
    private transient long generated;

    /** {@code chainsPerSecond} per source subtask; 0 for full speed. */
    ChainStarts(double chainsPerSecond) {
      if (chainsPerSecond < 0) {
        throw new IllegalArgumentException("negative rate " + chainsPerSecond);
      }
      this.nanosPerChain = chainsPerSecond == 0 ? 0 : 1e9 / chainsPerSecond;
    }

    @Override
    public IngressRecord map(Long i) throws InterruptedException {
      long random = Addresses.mix(i);
      return new IngressRecord(
          INGRESS, Addresses.id(random >>> 33), ChainFunction.step(due(), 0, random));
    }

    private long due() {
      long now = System.nanoTime();
      if (nanosPerChain == 0) {
        return now;
      }
      if (generated == 0) {
        firstDueNanos = now;
      }
      long due = firstDueNanos + (long) (generated++ * nanosPerChain);
      if (due - now > EARLY_NANOS) {
        LockSupport.parkNanos(due - now);
      }
      return due;
    }
  }
}
