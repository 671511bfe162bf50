package org.dpvideo.dpsgd.clipping;

import java.util.Arrays;
import java.util.Map;

/**
 * The bounds one step clips with.
 *
 * @param groupClipNorms the clip norm per group (one entry when the rule has no groups)
 * @param strictBound the strict bound Z used in the scaling ({@code max(Z, C)} for Global-Adapt),
 *     or NaN when the rule has none
 * @param sensitivity the L2 sensitivity of the sum of scaled unit gradients: the noise is
 *     calibrated to it (C, or the largest group bound for DPSGD-F)
 * @param released the private statistics released to compute these bounds (noisy counts, group
 *     bounds), by name; post-processing of accounted releases, safe to report
 */
public record ClippingBounds(double[] groupClipNorms, double strictBound, double sensitivity, Map<String, double[]> released)
    implements java.io.Serializable {
  public ClippingBounds {
    groupClipNorms = groupClipNorms.clone();
    if (groupClipNorms.length == 0) {
      throw new IllegalArgumentException("at least one clip norm is needed");
    }
    for (double c : groupClipNorms) {
      if (!(c > 0) || Double.isInfinite(c)) {
        throw new IllegalArgumentException("clip norms must be finite and > 0, got " + Arrays.toString(groupClipNorms));
      }
    }
    if (!(sensitivity > 0) || Double.isInfinite(sensitivity)) {
      throw new IllegalArgumentException("sensitivity must be finite and > 0, got " + sensitivity);
    }
    released = Map.copyOf(released);
  }

  /** The clip norm of a group (of the only group when there is one). */
  public double clipNorm(int group) {
    if (groupClipNorms.length == 1) {
      return groupClipNorms[0];
    }
    if (group < 0 || group >= groupClipNorms.length) {
      throw new IllegalArgumentException("group " + group + " is outside 0.." + (groupClipNorms.length - 1));
    }
    return groupClipNorms[group];
  }

  @Override
  public double[] groupClipNorms() {
    return groupClipNorms.clone();
  }
}
