package org.dpvideo.fairness.release;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.GaussianEvent;
import org.dpvideo.dpsgd.noise.LatticeGaussianMechanism;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.group.GroupAssignment;
import org.dpvideo.fairness.group.GroupKey;
import org.dpvideo.fairness.metrics.ConfidenceInterval;
import org.dpvideo.fairness.metrics.GroupEstimate;
import org.dpvideo.fairness.metrics.GroupStatus;
import org.dpvideo.fairness.metrics.IntervalMethod;
import org.dpvideo.fairness.misalignment.GroupGradientSums;
import org.dpvideo.fairness.misalignment.PerUnitGradients;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Accounted Gaussian mechanisms for per-group statistics of a private dataset (fairness spec §5.2
 * item 2). <b>Privacy-critical.</b> Noise is added by the DP engine's lattice Gaussian mechanism
 * (released values are exact multiples of a power-of-two granularity, calibrated to a slightly larger
 * effective sensitivity), from a secure generator in real runs.
 *
 * <p>Neighbouring relation: add/remove one privacy unit; each unit belongs to exactly one group. Every
 * mechanism computes its query on the full dataset (no subsampling), adds Gaussian noise of standard
 * deviation σ × (L2 sensitivity) to every released coordinate, records a {@link GaussianEvent} in the
 * {@link ReleaseAccount} <em>before</em> returning, and derives everything else by post-processing:
 * <ul>
 *   <li>{@link #counts}: the K-vector (n_k), sensitivity 1, noise σ_c: event Gaussian(σ_c).</li>
 *   <li>{@link #rates}: the 2K-vector (c_k, n_k − c_k) of an indicator (e.g. "clipped"), sensitivity 1,
 *       noise σ: event Gaussian(σ); rate = c̃/(c̃ + ũ), noisy count c̃ + ũ.</li>
 *   <li>{@link #clampedMeans}: sums of clamp(v_i, lo, hi) per group (sensitivity Δ = max(|lo|, |hi|),
 *       noise σ_s Δ) with counts (sensitivity 1, noise σ_c), one joint Gaussian mechanism whose
 *       effective multiplier is σ_eff = (σ_s⁻² + σ_c⁻²)^(−1/2) (the sensitivity of the vector
 *       (S/(σ_sΔ), n/σ_c) is at most √(σ_s⁻² + σ_c⁻²)); mean = S̃/ñ.</li>
 *   <li>{@link #clippedGradientSums}: per-unit gradients clipped <em>inside</em> the mechanism to norm
 *       C (factor min(1, C/‖g_i‖)), summed per group (sensitivity C, noise σ_g C per coordinate), with
 *       counts (noise σ_c): joint event Gaussian((σ_g⁻² + σ_c⁻²)^(−1/2)).</li>
 * </ul>
 * Small groups are suppressed when the <em>noisy</em> count is below the threshold (free
 * post-processing); a DP release never reports "empty". Intervals of noisy ratios r = S̃/ñ use the delta
 * method with sampling variance v/ñ (v = r(1 − r) for rates, the Popoviciu bound (hi − lo)²/4 for clamped
 * values) plus the injected noise variance (Var(ξ_S) + r² Var(ξ_n))/ñ² (spec §5.2 item 4).
 *
 * <p>The group levels must be public: declare them (e.g. {@code SensitiveFeatures.Builder.column(name,
 * values, levels)}) rather than reading them off the private data, since the set of observed levels is
 * itself a statistic of the data.
 *
 * <p>Releases of training data computed on a training batch would share the batch's Poisson subsample
 * with the gradient release; they must then be accounted jointly with the step (spec §2.6 A1) and are not
 * offered here.
 *
 * <p>Thread-safe if the noise source is.
 */
public final class PrivateGroupStatistics {
  private final GaussianNoiseSource noise;
  private final ReleaseAccount account;
  private final Provenance provenance;
  private final ReleaseOptions options;
  private final double z;

  /**
   * @param noise the Gaussian source (secure for real releases)
   * @param account where every release's event is recorded
   * @param provenance {@link Provenance#TRAIN_DP} for training data, {@link Provenance#EVAL_PRIVATE_DP} for
   *     private evaluation data
   * @param options small-group threshold and interval quantiles
   */
  public PrivateGroupStatistics(GaussianNoiseSource noise, ReleaseAccount account, Provenance provenance,
      ReleaseOptions options) {
    this.noise = Objects.requireNonNull(noise, "noise");
    this.account = Objects.requireNonNull(account, "account");
    this.provenance = Objects.requireNonNull(provenance, "provenance");
    this.options = Objects.requireNonNull(options, "options");
    if (provenance != Provenance.TRAIN_DP && provenance != Provenance.EVAL_PRIVATE_DP) {
      throw new IllegalArgumentException("DP releases are TRAIN_DP or EVAL_PRIVATE_DP, got " + provenance
          + "; releasable evaluation data needs no mechanism (use GroupMetrics with EVAL_PUBLIC)");
    }
    if (Math.abs(options.lowerQuantile() - (1 - options.upperQuantile())) > 1e-12) {
      throw new IllegalArgumentException("release intervals are symmetric normal intervals; use quantiles q and 1 - q,"
          + " got " + options.lowerQuantile() + " and " + options.upperQuantile());
    }
    this.z = new NormalDistribution().inverseCumulativeProbability(options.upperQuantile());
  }

  /** The release account. */
  public ReleaseAccount account() {
    return account;
  }

  /**
   * Noisy group sizes: ñ_k = n_k + N(0, σ_c²). Value and count are the noisy count; the interval is
   * ñ_k ± z σ_c.
   */
  public NoisyGroupStatistic counts(String statistic, GroupAssignment groups, double countNoiseMultiplier) {
    requireSigma("count noise multiplier", countNoiseMultiplier);
    int[] n = groups.counts();
    double[] noisy = release(toDouble(n), 1, countNoiseMultiplier, 1);
    DpEvent event = new GaussianEvent(countNoiseMultiplier);
    account.record(statistic, event);
    double sd = noiseStd(1, countNoiseMultiplier, 1);
    List<GroupEstimate> out = new ArrayList<>();
    for (int g = 0; g < n.length; g++) {
      GroupKey key = groups.levels().get(g);
      long c = roundedCount(noisy[g]);
      out.add(new GroupEstimate(key, c, noisy[g], interval(noisy[g] - z * sd, noisy[g] + z * sd),
          GroupStatus.REPORTED));
    }
    return new NoisyGroupStatistic(statistic, provenance, out, countNoiseMultiplier, event, noise.label());
  }

  /**
   * Noisy rate of an indicator per group (e.g. the fraction of units clipped): releases the histogram
   * (c_k, n_k − c_k) with noise σ on every cell (sensitivity 1).
   */
  public NoisyGroupStatistic rates(String statistic, boolean[] indicator, GroupAssignment groups,
      double noiseMultiplier) {
    Objects.requireNonNull(indicator, "indicator");
    requireSize(indicator.length, groups);
    requireSigma("noise multiplier", noiseMultiplier);
    int k = groups.levels().size();
    double[] hits = new double[k];
    double[] misses = new double[k];
    for (int i = 0; i < indicator.length; i++) {
      if (indicator[i]) {
        hits[groups.code(i)]++;
      } else {
        misses[groups.code(i)]++;
      }
    }
    // One unit changes one cell by 1: each cell's lattice calibration uses dimension 1.
    double[] h = release(hits, 1, noiseMultiplier, 1);
    double[] m = release(misses, 1, noiseMultiplier, 1);
    DpEvent event = new GaussianEvent(noiseMultiplier);
    account.record(statistic, event);
    double var = Math.pow(noiseStd(1, noiseMultiplier, 1), 2);
    List<GroupEstimate> out = new ArrayList<>();
    for (int g = 0; g < k; g++) {
      double n = h[g] + m[g];
      GroupKey key = groups.levels().get(g);
      if (!(n >= options.minNoisyCount())) {
        out.add(new GroupEstimate(key, roundedCount(n), Double.NaN, null, GroupStatus.SUPPRESSED_SMALL));
        continue;
      }
      double r = h[g] / n;
      double rc = Math.min(1, Math.max(0, r));
      // Delta method for r = h / (h + m): noise part var * (m^2 + h^2) / n^4; sampling part r(1 - r)/n.
      double v = rc * (1 - rc) / n + var * (m[g] * m[g] + h[g] * h[g]) / (n * n * n * n);
      double sd = Math.sqrt(v);
      out.add(new GroupEstimate(key, roundedCount(n), r,
          interval(Math.max(0, r - z * sd), Math.min(1, r + z * sd)), GroupStatus.REPORTED));
    }
    return new NoisyGroupStatistic(statistic, provenance, out, noiseMultiplier, event, noise.label());
  }

  /**
   * Noisy per-group mean of per-unit values clamped to [lower, upper]: one joint Gaussian mechanism on
   * (clamped sums, counts).
   *
   * @param values per-unit values (NaN is refused: clamp cannot bound it)
   * @param sumNoiseMultiplier σ_s (noise std σ_s Δ on each sum)
   * @param countNoiseMultiplier σ_c (noise std σ_c on each count)
   */
  public NoisyGroupStatistic clampedMeans(String statistic, double[] values, GroupAssignment groups, double lower,
      double upper, double sumNoiseMultiplier, double countNoiseMultiplier) {
    Objects.requireNonNull(values, "values");
    requireSize(values.length, groups);
    if (!(lower < upper) || Double.isInfinite(lower) || Double.isInfinite(upper)) {
      throw new IllegalArgumentException("clamp range must be finite with lower < upper, got [" + lower + ", " + upper
          + "]; pick it from public knowledge (e.g. [0, 10] for a per-token NLL), never from the private data");
    }
    requireSigma("sum noise multiplier", sumNoiseMultiplier);
    requireSigma("count noise multiplier", countNoiseMultiplier);
    for (int i = 0; i < values.length; i++) {
      if (Double.isNaN(values[i])) {
        throw new IllegalArgumentException("value of unit " + i + " is NaN; fix or drop it before a release");
      }
    }
    double sensitivity = Math.max(Math.abs(lower), Math.abs(upper));
    int k = groups.levels().size();
    double[] sums = new double[k];
    for (int i = 0; i < values.length; i++) {
      sums[groups.code(i)] += Math.min(upper, Math.max(lower, values[i]));
    }
    double[] s = release(sums, sensitivity, sumNoiseMultiplier, 1);
    double[] n = release(toDouble(groups.counts()), 1, countNoiseMultiplier, 1);
    double sigmaEff = jointNoiseMultiplier(sumNoiseMultiplier, countNoiseMultiplier);
    DpEvent event = new GaussianEvent(sigmaEff);
    account.record(statistic, event);
    double varS = Math.pow(noiseStd(sensitivity, sumNoiseMultiplier, 1), 2);
    double varN = Math.pow(noiseStd(1, countNoiseMultiplier, 1), 2);
    double popoviciu = (upper - lower) * (upper - lower) / 4;
    List<GroupEstimate> out = new ArrayList<>();
    for (int g = 0; g < k; g++) {
      GroupKey key = groups.levels().get(g);
      if (!(n[g] >= options.minNoisyCount())) {
        out.add(new GroupEstimate(key, roundedCount(n[g]), Double.NaN, null, GroupStatus.SUPPRESSED_SMALL));
        continue;
      }
      double r = s[g] / n[g];
      double v = popoviciu / n[g] + (varS + r * r * varN) / (n[g] * n[g]);
      double sd = Math.sqrt(v);
      out.add(new GroupEstimate(key, roundedCount(n[g]), r, interval(r - z * sd, r + z * sd), GroupStatus.REPORTED));
    }
    return new NoisyGroupStatistic(statistic, provenance, out, sigmaEff, event, noise.label());
  }

  /**
   * Noisy per-group sums of per-unit gradients clipped inside the mechanism to norm {@code clipNorm},
   * with noisy counts; one joint Gaussian mechanism.
   *
   * @param gradients per-unit gradients of the full dataset (or of as many units as the caller processes
   *     in one release; each unit at most once)
   * @param clipNorm C &gt; 0
   * @param gradientNoiseMultiplier σ_g (noise std σ_g C per coordinate)
   * @param countNoiseMultiplier σ_c
   */
  public NoisyGroupGradients clippedGradientSums(String statistic, PerUnitGradients gradients, GroupAssignment groups,
      double clipNorm, double gradientNoiseMultiplier, double countNoiseMultiplier) {
    Objects.requireNonNull(gradients, "gradients");
    requireSize(gradients.units(), groups);
    if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) {
      throw new IllegalArgumentException("clip norm must be finite and > 0, got " + clipNorm);
    }
    requireSigma("gradient noise multiplier", gradientNoiseMultiplier);
    requireSigma("count noise multiplier", countNoiseMultiplier);
    double[] norms = gradients.norms();
    double[] factors = new double[norms.length];
    for (int i = 0; i < norms.length; i++) {
      if (!Double.isFinite(norms[i])) {
        throw new IllegalArgumentException("per-unit gradient " + i + " has norm " + norms[i]
            + "; a non-finite gradient cannot be clipped");
      }
      factors[i] = norms[i] > clipNorm ? clipNorm / norms[i] : 1.0;
    }
    GroupGradientSums sums = GroupGradientSums.fromPerUnit(gradients, factors, groups);
    int k = groups.levels().size();
    // One unit changes one group's row (all layers): the lattice calibration uses that row's dimension.
    long rowDimension = 0;
    for (int l = 0; l < gradients.layers(); l++) {
      rowDimension += sums.scaledLayer(l).size(1);
    }
    List<INDArray> noisy = new ArrayList<>();
    for (int l = 0; l < gradients.layers(); l++) {
      INDArray s = clippedSums(sums, l);
      long[] shape = s.shape();
      double[] released = release(s.reshape(s.length()).toDoubleVector(), clipNorm, gradientNoiseMultiplier,
          rowDimension);
      noisy.add(Nd4j.createFromArray(released).reshape(shape));
      s.close();
    }
    double[] n = release(toDouble(groups.counts()), 1, countNoiseMultiplier, 1);
    DpEvent event = new GaussianEvent(jointNoiseMultiplier(gradientNoiseMultiplier, countNoiseMultiplier));
    account.record(statistic, event);
    GroupStatus[] status = new GroupStatus[k];
    for (int g = 0; g < k; g++) {
      status[g] = n[g] >= options.minNoisyCount() ? GroupStatus.REPORTED : GroupStatus.SUPPRESSED_SMALL;
    }
    return new NoisyGroupGradients(groups.levels(), noisy, n, status, clipNorm, event, noise.label());
  }

  /**
   * The multiplier of one Gaussian mechanism equivalent to releasing several sensitivity-normalised
   * queries with multipliers σ_j jointly: (Σ_j σ_j⁻²)^(−1/2).
   */
  public static double jointNoiseMultiplier(double... sigmas) {
    if (sigmas.length == 0) {
      throw new IllegalArgumentException("at least one noise multiplier is needed");
    }
    double s = 0;
    for (double sigma : sigmas) {
      requireSigma("noise multiplier", sigma);
      s += 1 / (sigma * sigma);
    }
    return 1 / Math.sqrt(s);
  }

  private static INDArray clippedSums(GroupGradientSums sums, int layer) {
    return sums.scaledLayer(layer).castTo(DataType.DOUBLE);
  }

  /**
   * The lattice Gaussian mechanism of the DP engine ({@link LatticeGaussianMechanism#calibrate}), in
   * double precision: each coordinate is released as γ(rint(x/γ) + rint(s·Z)) with γ a power of two far
   * below the noise scale and s = σ·(effective sensitivity)/γ, so every released value is an exact
   * lattice point whatever the input (no floating-point leak of the input, Mironov 2012, Jin et al.
   * 2022). {@code dimension} counts the coordinates one unit can change; the effective sensitivity
   * Δ(1 + margin) + γ√dimension covers rounding the input onto the lattice.
   */
  private double[] release(double[] exact, double sensitivity, double sigma, long dimension) {
    LatticeGaussianMechanism.Calibration c = LatticeGaussianMechanism.calibrate(sensitivity, sigma, dimension);
    double gamma = c.granularity();
    double s = c.latticeStd();
    double[] out = new double[exact.length];
    for (int i = 0; i < exact.length; i++) {
      if (!Double.isFinite(exact[i])) {
        throw new IllegalArgumentException("cannot release a non-finite value (" + exact[i] + ")");
      }
      out[i] = gamma * (Math.rint(exact[i] / gamma) + Math.rint(s * noise.nextStandardGaussian()));
    }
    return out;
  }

  /** The standard deviation of the noise {@link #release} adds: σ × effective sensitivity. */
  private static double noiseStd(double sensitivity, double sigma, long dimension) {
    return LatticeGaussianMechanism.calibrate(sensitivity, sigma, dimension).noiseStd();
  }

  private ConfidenceInterval interval(double lo, double hi) {
    return new ConfidenceInterval(lo, hi, options.lowerQuantile(), options.upperQuantile(),
        IntervalMethod.DELTA_METHOD_WITH_NOISE, 0);
  }

  private static long roundedCount(double noisy) {
    return Math.max(0, Math.round(noisy));
  }

  private static double[] toDouble(int[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  private static void requireSize(int n, GroupAssignment groups) {
    Objects.requireNonNull(groups, "groups");
    if (groups.size() != n) {
      throw new IllegalArgumentException("the release has " + n + " per-unit values but " + groups.size()
          + " group labels; pass one label per unit");
    }
  }

  private static void requireSigma(String what, double sigma) {
    if (!(sigma > 0) || Double.isInfinite(sigma)) {
      throw new IllegalArgumentException(what + " must be finite and > 0, got " + sigma
          + "; a release without noise is not differentially private");
    }
  }
}
