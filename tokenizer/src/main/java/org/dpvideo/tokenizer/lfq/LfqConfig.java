package org.dpvideo.tokenizer.lfq;

import java.time.Duration;

/**
 * Architecture and training settings of the learned LFQ tokenizer.
 *
 * @param bits latent bits per token K; the vocabulary is {@code 2^K}, K in [4, 16]
 * @param hidden channels of the hidden convolutions, in [8, 512]
 * @param residualBlocks residual blocks in encoder and decoder each, in [0, 8]
 * @param spatialPatch pixels per token side, in [1, 16]
 * @param temporalPatch frames per tube after the first frame, in [1, 4]
 * @param entropyWeight weight of the entropy penalty (MAGVIT-v2 uses 0.1), >= 0
 * @param commitWeight weight of the commitment term {@code |z - sign(z)|^2}, >= 0
 * @param learningRate Adam peak learning rate (cosine-decayed to 10% over the run), in (0, 1)
 * @param batchSize clips per training step, in [1, 1024]
 * @param maxSteps upper bound on training steps, at least 1
 * @param timeBudget wall-clock budget of training; training stops at whichever of steps and time ends first
 * @param seed initialization and batch-order seed (fitting is on public data; no privacy role)
 */
public record LfqConfig(int bits, int hidden, int residualBlocks, int spatialPatch, int temporalPatch,
    double entropyWeight, double commitWeight, double learningRate, int batchSize, int maxSteps,
    Duration timeBudget, long seed) {

  /** The demo's tokenizer: 10 bits (1024 codes), 4x4 pixels x 2 frames, 128 channels, 3 minutes. */
  public static final LfqConfig DEFAULT = new LfqConfig(10, 128, 0, 4, 2, 0.5, 0.05, 3e-3, 16, 100_000,
      Duration.ofMinutes(3), 1234L);

  /** Validates. */
  public LfqConfig {
    if (bits < 4 || bits > 16) {
      throw new IllegalArgumentException("bits must be in [4, 16] (vocabulary 2^bits), got " + bits
          + "; the demo uses 10 (1024 codes).");
    }
    if (hidden < 8 || hidden > 512 || residualBlocks < 0 || residualBlocks > 8) {
      throw new IllegalArgumentException("hidden must be in [8, 512] and residualBlocks in [0, 8], got "
          + hidden + " and " + residualBlocks + ".");
    }
    if (spatialPatch < 1 || spatialPatch > 16 || temporalPatch < 1 || temporalPatch > 4) {
      throw new IllegalArgumentException("patch must be spatial in [1, 16] and temporal in [1, 4], got "
          + spatialPatch + " and " + temporalPatch + ".");
    }
    if (!(entropyWeight >= 0) || !(commitWeight >= 0) || !Double.isFinite(entropyWeight + commitWeight)) {
      throw new IllegalArgumentException("entropyWeight and commitWeight must be finite and >= 0, got "
          + entropyWeight + " and " + commitWeight + ".");
    }
    if (!(learningRate > 0 && learningRate < 1)) {
      throw new IllegalArgumentException("learningRate must be in (0, 1), got " + learningRate + ".");
    }
    if (batchSize < 1 || batchSize > 1024 || maxSteps < 1) {
      throw new IllegalArgumentException("batchSize must be in [1, 1024] and maxSteps >= 1, got "
          + batchSize + " and " + maxSteps + ".");
    }
    if (timeBudget == null || timeBudget.isNegative() || timeBudget.isZero()) {
      throw new IllegalArgumentException("timeBudget must be positive, got " + timeBudget + ".");
    }
  }

  /** Vocabulary size {@code 2^bits}. */
  public int vocabSize() {
    return 1 << bits;
  }

  /** With another training time budget. */
  public LfqConfig withTimeBudget(Duration d) {
    return new LfqConfig(bits, hidden, residualBlocks, spatialPatch, temporalPatch, entropyWeight, commitWeight,
        learningRate, batchSize, maxSteps, d, seed);
  }

  /** With another step bound. */
  public LfqConfig withMaxSteps(int n) {
    return new LfqConfig(bits, hidden, residualBlocks, spatialPatch, temporalPatch, entropyWeight, commitWeight,
        learningRate, batchSize, n, timeBudget, seed);
  }

  /** With another number of bits. */
  public LfqConfig withBits(int k) {
    return new LfqConfig(k, hidden, residualBlocks, spatialPatch, temporalPatch, entropyWeight, commitWeight,
        learningRate, batchSize, maxSteps, timeBudget, seed);
  }

  /** With another width and depth. */
  public LfqConfig withArchitecture(int newHidden, int newResidualBlocks) {
    return new LfqConfig(bits, newHidden, newResidualBlocks, spatialPatch, temporalPatch, entropyWeight,
        commitWeight, learningRate, batchSize, maxSteps, timeBudget, seed);
  }

  /** With another learning rate and batch size. */
  public LfqConfig withOptimization(double lr, int batch) {
    return new LfqConfig(bits, hidden, residualBlocks, spatialPatch, temporalPatch, entropyWeight, commitWeight,
        lr, batch, maxSteps, timeBudget, seed);
  }

  /** With another seed. */
  public LfqConfig withSeed(long s) {
    return new LfqConfig(bits, hidden, residualBlocks, spatialPatch, temporalPatch, entropyWeight, commitWeight,
        learningRate, batchSize, maxSteps, timeBudget, s);
  }
}
