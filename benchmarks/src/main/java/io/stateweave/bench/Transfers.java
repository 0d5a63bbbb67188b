package io.stateweave.bench;

import java.io.Serializable;
import java.util.Locale;

/**
 * The YCSB-T transfers: transfer i moves an amount of 1 to {@value #MAX_AMOUNT} from one account to
 * another, both of {@link Addresses#COUNT}, drawn uniformly or by Zipf 0.99 (the hottest account
 * is {@code a0}). Transfer i is a function of the seed and i alone, so that the transactional run and
 * the plain one, and every source subtask, agree on it without sharing a random generator.
 */
final class Transfers implements Serializable {
  private static final long serialVersionUID = 1L;
  static final long MAX_AMOUNT = 10;
  static final double ZIPF_EXPONENT = 0.99;
  static final long SEED = 15;

  /** How the two accounts of a transfer are drawn. */
  enum Distribution {
    UNIFORM,
    ZIPF;

    static Distribution parse(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT));
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One transfer: account indexes (distinct) and the amount. */
  record Transfer(int from, int to, long amount) {}

  private final Distribution distribution;
  private final long seed;
  private final Zipf zipf;

  Transfers(Distribution distribution, long seed) {
    if (distribution == null) {
      throw new IllegalArgumentException("no distribution");
    }
    this.distribution = distribution;
    this.seed = seed;
    this.zipf = distribution == Distribution.ZIPF ? new Zipf(Addresses.COUNT, ZIPF_EXPONENT) : null;
  }

  Transfer of(long index) {
    long random = Addresses.mix(seed ^ Addresses.mix(index));
    int from = account(random);
    int to;
    do {
      random = Addresses.mix(random);
      to = account(random);
    } while (to == from);
    random = Addresses.mix(random);
    return new Transfer(from, to, 1 + Long.remainderUnsigned(random, MAX_AMOUNT));
  }

  private int account(long random) {
    return zipf == null
        ? (int) Long.remainderUnsigned(random, Addresses.COUNT)
        : zipf.rank(Zipf.unit(random));
  }
}
