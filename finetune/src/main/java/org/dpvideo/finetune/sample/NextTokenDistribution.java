package org.dpvideo.finetune.sample;

import java.util.Arrays;
import java.util.function.DoubleSupplier;

/**
 * The distribution the sampler draws the next token from: the logits after the restriction to the
 * allowed ids, temperature, top-k and top-p of a {@link SamplingConfig} (guidance is applied before, by
 * {@link ClassifierFreeGuidance}). Probabilities are computed in double precision with the maximum
 * logit subtracted before exponentiation.
 *
 * <p>Greedy decoding ({@code temperature = 0}) is a point mass on the arg max of the allowed logits, the
 * lowest id on ties: the limit of the tempered distribution as the temperature goes to 0 when the
 * maximum is unique.
 *
 * <p>Immutable after construction; {@link #draw(DoubleSupplier)} is thread-safe if the supplier is.
 */
public final class NextTokenDistribution {
  private final int[] support;
  private final double[] cumulative;
  private final int vocabSize;

  private NextTokenDistribution(int[] support, double[] cumulative, int vocabSize) {
    this.support = support;
    this.cumulative = cumulative;
    this.vocabSize = vocabSize;
  }

  /**
   * Builds the distribution.
   *
   * @param logits unnormalized log-probabilities, finite or {@code -inf} (masked)
   * @param config temperature, top-k, top-p and the allowed ids (its guidance scale is not used here)
   * @throws IllegalArgumentException on NaN or {@code +inf} logits, an allowed range beyond the logits,
   *     or when every allowed id is masked
   */
  public static NextTokenDistribution of(float[] logits, SamplingConfig config) {
    int v = logits.length;
    int lo = 0;
    int hi = v;
    if (config.allowed() != null) {
      config.allowed().requireWithin(v);
      lo = config.allowed().start();
      hi = config.allowed().end();
    }
    for (int i = 0; i < v; i++) {
      float l = logits[i];
      if (Float.isNaN(l) || l == Float.POSITIVE_INFINITY) {
        throw new IllegalArgumentException("logits must be finite or -inf, got " + l + " at id " + i
            + "; the model produced an invalid score (check for overflow in its last layer).");
      }
    }
    // Candidates: allowed ids that are not masked.
    int n = 0;
    int[] ids = new int[hi - lo];
    for (int i = lo; i < hi; i++) {
      if (logits[i] != Float.NEGATIVE_INFINITY) {
        ids[n++] = i;
      }
    }
    if (n == 0) {
      throw new IllegalArgumentException("every allowed id " + (config.allowed() == null ? "[0, " + v + ")"
          : config.allowed().toString()) + " has logit -inf, so there is nothing to sample.");
    }
    ids = Arrays.copyOf(ids, n);
    if (config.temperature() == 0) {
      int best = ids[0];
      for (int id : ids) {
        if (logits[id] > logits[best]) {
          best = id;
        }
      }
      return new NextTokenDistribution(new int[] {best}, new double[] {1.0}, v);
    }
    double t = config.temperature();
    int[] kept;
    double max;
    if (config.topK() == 0 && config.topP() == 1) {
      kept = ids;
      float m = Float.NEGATIVE_INFINITY;
      for (int id : ids) {
        m = Math.max(m, logits[id]);
      }
      max = m / t;
    } else {
      // Order candidates by logit, descending; ties by lower id first. One primitive sort of keys
      // (reversed order-preserving bits of the logit, then the id) instead of boxed comparisons.
      long[] keys = new long[n];
      for (int i = 0; i < n; i++) {
        int b = Float.floatToIntBits(logits[ids[i]]);
        int sortable = b ^ ((b >> 31) & 0x7fffffff); // signed order of the ints = Float.compare order
        keys[i] = ((long) ~sortable << 32) | ids[i];
      }
      Arrays.sort(keys);
      int[] order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = (int) keys[i];
      }
      int keep = config.topK() == 0 ? n : Math.min(config.topK(), n);
      max = logits[order[0]] / t;
      if (config.topP() < 1) {
        double[] weight = new double[keep];
        double total = 0;
        for (int i = 0; i < keep; i++) {
          weight[i] = Math.exp(logits[order[i]] / t - max);
          total += weight[i];
        }
        double acc = 0;
        for (int i = 0; i < keep; i++) {
          acc += weight[i] / total;
          if (acc >= config.topP()) {
            keep = i + 1;
            break;
          }
        }
      }
      kept = new int[keep];
      for (int i = 0; i < keep; i++) {
        kept[i] = order[i];
      }
      Arrays.sort(kept); // id order for the inverse-CDF draw
    }
    int keep = kept.length;
    // Cumulative weights in id order; ids whose weight underflows to 0 are dropped (the top id has weight 1).
    double[] cum = new double[keep];
    int m = 0;
    double s = 0;
    for (int i = 0; i < keep; i++) {
      double w = Math.exp(logits[kept[i]] / t - max);
      if (w > 0) {
        s += w;
        kept[m] = kept[i];
        cum[m++] = s;
      }
    }
    kept = Arrays.copyOf(kept, m);
    cum = Arrays.copyOf(cum, m);
    for (int i = 0; i < m; i++) {
      cum[i] /= s;
    }
    cum[m - 1] = 1.0;
    return new NextTokenDistribution(kept, cum, v);
  }

  /** The ids with non-zero probability, ascending. */
  public int[] support() {
    return support.clone();
  }

  /** The probability of every id of the vocabulary (0 outside the support). */
  public double[] probabilities() {
    double[] p = new double[vocabSize];
    double prev = 0;
    for (int i = 0; i < support.length; i++) {
      p[support[i]] = cumulative[i] - prev;
      prev = cumulative[i];
    }
    return p;
  }

  /** The most probable id (the lowest on ties). */
  public int mode() {
    int best = 0;
    double bestP = -1;
    double prev = 0;
    for (int i = 0; i < support.length; i++) {
      double p = cumulative[i] - prev;
      prev = cumulative[i];
      if (p > bestP) {
        bestP = p;
        best = support[i];
      }
    }
    return best;
  }

  /**
   * Draws one id by inverting the cumulative distribution at a uniform number.
   *
   * @param uniform yields numbers in {@code [0, 1)}
   */
  public int draw(DoubleSupplier uniform) {
    if (support.length == 1) {
      return support[0];
    }
    double u = uniform.getAsDouble();
    if (!(u >= 0 && u < 1)) {
      throw new IllegalArgumentException("the uniform source must give numbers in [0, 1), got " + u + ".");
    }
    int i = Arrays.binarySearch(cumulative, u);
    // first index with cumulative > u
    i = i >= 0 ? i + 1 : -i - 1;
    while (i < support.length - 1 && cumulative[i] <= u) {
      i++;
    }
    return support[Math.min(i, support.length - 1)];
  }
}
