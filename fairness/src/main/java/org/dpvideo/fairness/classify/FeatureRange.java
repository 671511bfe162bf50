package org.dpvideo.fairness.classify;

/**
 * A public, declared range of the feature values, mapped linearly to [0, 1]: {@code x' = (x - low) /
 * (high - low)} (values outside the range are mapped by the same formula, not clamped).
 *
 * <p>The range must come from public knowledge (the digits pixels are 0..16 by construction), never from
 * the private training data: standardising with the training set's mean and spread would release those
 * statistics outside the privacy accounting. With DP-SGD the scale does not change the guarantee (each
 * example's gradient is clipped whatever its features), only the optimisation.
 *
 * @param low the value mapped to 0, finite
 * @param high the value mapped to 1, finite and &gt; low
 */
public record FeatureRange(double low, double high) {

  /** The identity (features used as they are). */
  public static final FeatureRange IDENTITY = new FeatureRange(0, 1);

  /** Validates. */
  public FeatureRange {
    if (!Double.isFinite(low) || !Double.isFinite(high) || !(high > low)) {
      throw new IllegalArgumentException("a feature range needs finite low < high, got [" + low + ", " + high
          + "]; give the public range of the feature values, for example 0,16 for the digits pixels");
    }
  }

  /**
   * Parses {@code "LOW,HIGH"}.
   *
   * @throws IllegalArgumentException if the text is not two numbers with low &lt; high
   */
  public static FeatureRange parse(String text) {
    String[] parts = text == null ? new String[0] : text.split(",");
    if (parts.length != 2) {
      throw new IllegalArgumentException("feature range must be LOW,HIGH (two numbers), got '" + text
          + "'; for example 0,16");
    }
    try {
      return new FeatureRange(Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("feature range must be LOW,HIGH (two numbers), got '" + text
          + "'; for example 0,16");
    }
  }

  /** Maps a value. */
  public double apply(double x) {
    return (x - low) / (high - low);
  }
}
