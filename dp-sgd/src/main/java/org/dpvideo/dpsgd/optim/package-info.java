/**
 * Optimizers: SGD with momentum and Adam/AdamW. {@link org.dpvideo.dpsgd.optim.Optimizer} applies only
 * a {@link org.dpvideo.dpsgd.step.NoisyGradient} (post-processing of a released gradient, so it costs
 * no privacy); {@link org.dpvideo.dpsgd.optim.NonPrivateOptimizer} applies only a
 * {@link org.dpvideo.dpsgd.step.NonPrivateGradient}, for baselines. The two share the update rules.
 */
package org.dpvideo.dpsgd.optim;
