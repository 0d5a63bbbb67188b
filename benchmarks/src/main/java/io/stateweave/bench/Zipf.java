package io.stateweave.bench;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A Zipf distribution over the ranks 0..n-1: rank r has weight 1 / (r + 1)^exponent, so rank 0 is
 * the most frequent. Sampling maps a uniform number in [0, 1) through the cumulative weights, which
 * makes it deterministic: the same uniform numbers give the same ranks.
 */
final class Zipf implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double[] cumulative;

  Zipf(int n, double exponent) {
    if (n < 1) {
      throw new IllegalArgumentException("a Zipf distribution needs at least one rank, got " + n);
    }
    if (exponent < 0 || Double.isNaN(exponent)) {
      throw new IllegalArgumentException("a Zipf exponent must be >= 0, got " + exponent);
    }
    cumulative = new double[n];
    double sum = 0;
    for (int rank = 0; rank < n; rank++) {
      sum += 1 / Math.pow(rank + 1, exponent);
      cumulative[rank] = sum;
    }
    for (int rank = 0; rank < n; rank++) {
      cumulative[rank] /= sum;
    }
  }

  /** The rank for a uniform number in [0, 1): the first whose cumulative weight exceeds it. */
  int rank(double uniform) {
    if (!(uniform >= 0 && uniform < 1)) {
      throw new IllegalArgumentException("not in [0, 1): " + uniform);
    }
    int found = Arrays.binarySearch(cumulative, uniform);
    // an exact hit on a boundary belongs to the next rank; rounding may leave the last one below 1
    int rank = found >= 0 ? found + 1 : -found - 1;
    return Math.min(rank, cumulative.length - 1);
  }

  /** A uniform number in [0, 1) from the 53 high bits of {@code bits}. */
  static double unit(long bits) {
    return (bits >>> 11) * 0x1.0p-53;
  }
}
