package org.dpvideo.fairness.misalignment;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.dpvideo.fairness.group.GroupKey;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One group's one-step expected-loss decomposition (paper Props. 1–2; fairness spec §1.2, §1.4.5), with
 * g_{D_a} the full-data group gradient, the current batch's g_B and ḡ_B, r = ‖ḡ_B‖/‖g_B‖, η the
 * learning rate, C the clipping bound and σ the noise multiplier:
 * <pre>
 * R_non_private = L_a − η⟨g_{D_a}, g_B⟩ + (η²/2) g_BᵀH_a g_B
 * R_clip        = η(⟨g_{D_a}, g_B⟩ − ⟨g_{D_a}, ḡ_B⟩) + (η²/2)(ḡ_BᵀH_a ḡ_B − g_BᵀH_a g_B)
 * R_dir         = η⟨g_{D_a}, r g_B − ḡ_B⟩ + (η²/2)(ḡ_BᵀH_a ḡ_B − r² g_BᵀH_a g_B)
 * R_mag         = η⟨g_{D_a}, g_B − r g_B⟩ + (η²/2)(r² − 1) g_BᵀH_a g_B      (R_dir + R_mag = R_clip)
 * R_noise       = (η²/2) Tr(H_a) C² σ²
 * </pre>
 * R_noise is written exactly as the paper and the reference code have it, without the 1/|B|² factor that
 * noise added to the sum and divided by the batch size would carry (spec §1.2 note, quirk Q11): it is a
 * code-compatible figure, not a calibrated one.
 *
 * <p>With Hessian terms off (the default) the Hessian parts and R_noise are NaN and the totals R_clip,
 * R_dir, R_mag and R_non_private are their first-order parts ({@code hessianIncluded} false).
 *
 * @param group the group a
 * @param hessianIncluded whether the second-order terms are included
 * @param nonPrivate R_non_private (NaN when no group loss was given)
 * @param clip R_clip
 * @param dirInnerProduct η⟨g_{D_a}, r g_B − ḡ_B⟩
 * @param dirHessian (η²/2)(ḡ_BᵀH_a ḡ_B − r² g_BᵀH_a g_B), or NaN
 * @param dir R_dir
 * @param magInnerProduct η⟨g_{D_a}, g_B − r g_B⟩
 * @param magHessian (η²/2)(r² − 1) g_BᵀH_a g_B, or NaN
 * @param mag R_mag
 * @param noise R_noise, or NaN
 */
public record ExpectedLossTerms(GroupKey group, boolean hessianIncluded, double nonPrivate, double clip,
    double dirInnerProduct, double dirHessian, double dir, double magInnerProduct, double magHessian, double mag,
    double noise) {

  /** Validates. */
  public ExpectedLossTerms {
    Objects.requireNonNull(group, "group");
  }

  /**
   * The group's quadratic forms under its Hessian.
   *
   * @param batchForm g_BᵀH_a g_B
   * @param clippedBatchForm ḡ_BᵀH_a ḡ_B
   * @param trace Tr(H_a)
   */
  public record HessianForms(double batchForm, double clippedBatchForm, double trace) {
    /**
     * Evaluates the forms with the oracle; the trace by the oracle's exact value or Hutchinson's estimator
     * with Rademacher probes over the parameters.
     */
    public static HessianForms evaluate(HessianOracle oracle, GroupKey group, LayeredVector batch,
        LayeredVector clippedBatch, HessianOptions options) {
      double gHg = batch.dot(oracle.hessianVectorProduct(group, batch));
      double cHc = clippedBatch.dot(oracle.hessianVectorProduct(group, clippedBatch));
      OptionalDouble exact = oracle.trace(group);
      double trace = exact.isPresent() ? exact.getAsDouble() : hutchinson(oracle, group, batch, options);
      return new HessianForms(gHg, cHc, trace);
    }

    private static double hutchinson(HessianOracle oracle, GroupKey group, LayeredVector layout,
        HessianOptions options) {
      SplittableRandom rng = new SplittableRandom(options.seed() ^ group.hashCode());
      double sum = 0;
      for (int j = 0; j < options.hutchinsonSamples(); j++) {
        List<INDArray> pieces = new ArrayList<>();
        for (int l = 0; l < layout.layers(); l++) {
          long n = layout.layerSize(l);
          if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("layer " + l + " has " + n + " parameters; split it into pieces"
                + " below 2^31 for Hutchinson probes");
          }
          double[] z = new double[(int) n];
          for (int i = 0; i < z.length; i++) {
            z[i] = rng.nextBoolean() ? 1.0 : -1.0;
          }
          pieces.add(Nd4j.createFromArray(z));
        }
        LayeredVector z = LayeredVector.wrap(pieces);
        sum += z.dot(oracle.hessianVectorProduct(group, z));
      }
      return sum / options.hutchinsonSamples();
    }
  }

  /**
   * Computes the terms of one group.
   *
   * @param alignment the group's alignment figures (supplies ⟨g_{D_a}, g_B⟩ and ⟨g_{D_a}, ḡ_B⟩); must have a
   *     full-data gradient
   * @param batchNorm ‖g_B‖ (&gt; 0)
   * @param clippedBatchNorm ‖ḡ_B‖
   * @param groupLoss L_a, the group's mean loss, or NaN when unknown
   * @param learningRate η &gt; 0
   * @param clipNorm C &gt; 0
   * @param noiseMultiplier σ &gt;= 0
   * @param hessian the group's Hessian forms, or null for first-order terms only
   */
  public static ExpectedLossTerms compute(GroupAlignment alignment, double batchNorm, double clippedBatchNorm,
      double groupLoss, double learningRate, double clipNorm, double noiseMultiplier, HessianForms hessian) {
    Objects.requireNonNull(alignment, "alignment");
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be finite and > 0, got " + learningRate);
    }
    if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) {
      throw new IllegalArgumentException("clip norm must be finite and > 0, got " + clipNorm);
    }
    if (!(noiseMultiplier >= 0) || Double.isInfinite(noiseMultiplier)) {
      throw new IllegalArgumentException("noise multiplier must be finite and >= 0, got " + noiseMultiplier);
    }
    double eta = learningRate;
    double dB = alignment.dotFullBatch();
    double dBbar = alignment.dotFullClippedBatch();
    double r = batchNorm > 0 ? clippedBatchNorm / batchNorm : Double.NaN;
    double dirInner = eta * (r * dB - dBbar);
    double magInner = eta * (dB - r * dB);
    double clipInner = eta * (dB - dBbar);
    if (hessian == null) {
      return new ExpectedLossTerms(alignment.group(), false, groupLoss - eta * dB, clipInner, dirInner, Double.NaN,
          dirInner, magInner, Double.NaN, magInner, Double.NaN);
    }
    double half = eta * eta / 2;
    double gHg = hessian.batchForm();
    double cHc = hessian.clippedBatchForm();
    double dirHess = half * (cHc - r * r * gHg);
    double magHess = half * (r * r - 1) * gHg;
    return new ExpectedLossTerms(alignment.group(), true,
        groupLoss - eta * dB + half * gHg,
        clipInner + half * (cHc - gHg),
        dirInner, dirHess, dirInner + dirHess,
        magInner, magHess, magInner + magHess,
        half * hessian.trace() * clipNorm * clipNorm * noiseMultiplier * noiseMultiplier);
  }
}
