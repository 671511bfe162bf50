package org.dpvideo.tokenizer.vq;

/**
 * Settings of the tube vector quantizer.
 *
 * @param codebookSize number of codes (the vocabulary), in [2, 65536]
 * @param spatialPatch pixels per patch side, in [1, 32]; frame sizes must be multiples of it
 * @param temporalPatch frames per tube after the first frame, in [1, 8]
 * @param iterations Lloyd iterations after k-means++ seeding, in [0, 1000]
 * @param maxTrainingVectors tubes sampled from the training clips for fitting, at least codebookSize
 * @param seed seed of the sampling and seeding (fitting is on public data; no privacy role)
 */
public record VqConfig(int codebookSize, int spatialPatch, int temporalPatch, int iterations,
    int maxTrainingVectors, long seed) {

  /** The demo's quantizer: 1024 codes, 4x4 pixels x 2 frames, 15 iterations on up to 65,536 tubes. */
  public static final VqConfig DEFAULT = new VqConfig(1024, 4, 2, 15, 65_536, 1234L);

  /** Validates. */
  public VqConfig {
    if (codebookSize < 2 || codebookSize > 65_536) {
      throw new IllegalArgumentException("codebookSize must be in [2, 65536], got " + codebookSize
          + "; the demo uses 1024.");
    }
    if (spatialPatch < 1 || spatialPatch > 32 || temporalPatch < 1 || temporalPatch > 8) {
      throw new IllegalArgumentException("patch must be spatial in [1, 32] and temporal in [1, 8], got "
          + spatialPatch + " and " + temporalPatch + ".");
    }
    if (iterations < 0 || iterations > 1000) {
      throw new IllegalArgumentException("iterations must be in [0, 1000], got " + iterations + ".");
    }
    if (maxTrainingVectors < codebookSize) {
      throw new IllegalArgumentException("maxTrainingVectors (" + maxTrainingVectors
          + ") must be at least codebookSize (" + codebookSize + ").");
    }
  }

  /** With another codebook size. */
  public VqConfig withCodebookSize(int k) {
    return new VqConfig(k, spatialPatch, temporalPatch, iterations, Math.max(k, maxTrainingVectors), seed);
  }

  /** With other iterations. */
  public VqConfig withIterations(int n) {
    return new VqConfig(codebookSize, spatialPatch, temporalPatch, n, maxTrainingVectors, seed);
  }

  /** With another seed. */
  public VqConfig withSeed(long s) {
    return new VqConfig(codebookSize, spatialPatch, temporalPatch, iterations, maxTrainingVectors, s);
  }
}
