/**
 * Quality and decoding-collapse metrics of the video LM and its samples, overall and per group:
 * held-out NLL, perplexity and next-token accuracy ({@link org.dpvideo.finetune.metrics.SequenceScore},
 * {@link org.dpvideo.finetune.metrics.QualityEvaluation}); motion, flicker, frozen frames and
 * reconstruction PSNR/SSIM of decoded clips ({@link org.dpvideo.finetune.metrics.TemporalMetrics},
 * {@link org.dpvideo.finetune.metrics.PixelQuality}); repetition and diversity of token sequences next to
 * real held-out clips ({@link org.dpvideo.finetune.metrics.TokenStatistics},
 * {@link org.dpvideo.finetune.metrics.CollapseEvaluation}). Results are fairness-module
 * {@code GroupTable}s, ready for the run report. Formulas and sources: {@code docs/metrics.md}.
 */
package org.dpvideo.finetune.metrics;
