package org.dpvideo.tokenizer.eval;

import java.util.Map;

/**
 * Reconstruction quality of a tokenizer on a set of clips.
 *
 * @param tokenizerVersion {@code VideoTokenizer.version()} of the evaluated tokenizer
 * @param clipSpec the clip spec key
 * @param clips number of clips evaluated
 * @param psnrDb mean over clips of per-clip PSNR (dB)
 * @param ssim mean over clips of per-clip SSIM
 * @param perGroup the same per label of the evaluated group column (empty when none)
 * @param codeUsage fraction of the vocabulary used at least once
 * @param perplexity {@code exp} of the entropy (nats) of the token-id histogram
 * @param encodeFramesPerSecond frames encoded per second (batched, wall clock, this machine)
 * @param decodeFramesPerSecond frames decoded per second (batched, wall clock, this machine)
 */
public record TokenizerEvaluation(String tokenizerVersion, String clipSpec, int clips, double psnrDb, double ssim,
    Map<String, GroupQuality> perGroup, double codeUsage, double perplexity, double encodeFramesPerSecond,
    double decodeFramesPerSecond) {

  /**
   * Quality on one group.
   *
   * @param clips clips in the group
   * @param psnrDb mean per-clip PSNR (dB)
   * @param ssim mean per-clip SSIM
   */
  public record GroupQuality(int clips, double psnrDb, double ssim) {}
}
