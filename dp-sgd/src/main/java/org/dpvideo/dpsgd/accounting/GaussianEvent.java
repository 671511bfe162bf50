package org.dpvideo.dpsgd.accounting;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One Gaussian mechanism: a query of L2 sensitivity 1 released with N(0, sigma^2) noise per
 * coordinate. A query of sensitivity C with noise N(0, sigma^2 C^2) is the same event.
 *
 * @param noiseMultiplier sigma, finite and &gt; 0
 */
public record GaussianEvent(@JsonProperty("noise_multiplier") double noiseMultiplier) implements DpEvent {
  public GaussianEvent {
    if (!(noiseMultiplier > 0) || Double.isInfinite(noiseMultiplier)) {
      throw new IllegalArgumentException("noise multiplier must be finite and > 0, got " + noiseMultiplier
          + "; a mechanism without noise has no finite epsilon, so it cannot be accounted");
    }
  }
}
