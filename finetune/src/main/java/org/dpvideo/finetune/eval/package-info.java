/**
 * Held-out evaluation of the video LM: per-token negative log-likelihood of output tokens per example
 * ({@link org.dpvideo.finetune.eval.NllEvaluator}), summarised per group with the fairness module's
 * metric frames by the callers.
 */
package org.dpvideo.finetune.eval;
