package org.dpvideo.finetune.metrics;

import org.dpvideo.tokenizer.eval.ReconstructionMetrics;
import org.dpvideo.tokenizer.video.Clip;

/**
 * Pixel statistics of one decoded sample: the {@link TemporalMetrics} and, where a reference clip exists
 * (e.g. the ground-truth continuation of a frame-continuation prompt, or the original of an inpainting
 * prompt), PSNR and SSIM against it ({@link ReconstructionMetrics}: PSNR over all pixels and channels,
 * capped at 100 dB; SSIM of Wang et al. 2004 with a 7x7 uniform window).
 *
 * @param motionMagnitude mean absolute frame difference (NaN for one frame)
 * @param brightnessFlicker mean absolute change of mean luma between frames
 * @param detailFlicker mean absolute change of high-pass luma energy between frames
 * @param frozenFrameRatio share of frame transitions below the frozen threshold
 * @param psnrDb PSNR against the reference in dB, NaN without one
 * @param ssim SSIM against the reference, NaN without one
 */
public record PixelQuality(double motionMagnitude, double brightnessFlicker, double detailFlicker,
    double frozenFrameRatio, double psnrDb, double ssim) {

  /**
   * Measures {@code sample}.
   *
   * @param reference the clip it should match (same shape), or null
   * @param frozenThreshold tau of the frozen-frame ratio, e.g. {@link TemporalMetrics#DEFAULT_FROZEN_THRESHOLD}
   * @throws IllegalArgumentException when the reference's shape differs
   */
  public static PixelQuality of(Clip sample, Clip reference, double frozenThreshold) {
    double psnr = Double.NaN;
    double ssim = Double.NaN;
    if (reference != null) {
      psnr = ReconstructionMetrics.psnr(reference, sample);
      ssim = ReconstructionMetrics.ssim(reference, sample);
    }
    return new PixelQuality(TemporalMetrics.motionMagnitude(sample), TemporalMetrics.brightnessFlicker(sample),
        TemporalMetrics.detailFlicker(sample), TemporalMetrics.frozenFrameRatio(sample, frozenThreshold), psnr, ssim);
  }
}
