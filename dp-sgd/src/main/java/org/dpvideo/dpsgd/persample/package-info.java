/**
 * Per-sample (per-unit) gradient norms and weighted gradient sums from one backward pass.
 *
 * <p>For every layer site the engine takes the layer's input from the forward pass and the gradient of
 * its output from SameDiff (never the parameter gradient), then computes each privacy unit's squared
 * gradient norm by the cheaper of two exact methods, and later the clipped sum
 * {@code sum_u c_u g_u} directly from the same tensors (book-keeping, Bu et al. 2023):
 * <ul>
 *   <li><b>materialisation</b>: per-example gradients {@code x_e^T dy_e} as a batched matmul
 *       ({@code [B, in, out]}); the clipped sum is then a weighted sum of them;</li>
 *   <li><b>ghost norm</b> (Goodfellow 2015; Li et al. 2022): {@code ||x_e^T dy_e||^2 =
 *       sum_{t,t'} (x_e x_e^T)_{tt'} (dy_e dy_e^T)_{tt'}}, cost {@code B T^2 (in + out)}; the clipped
 *       sum is one matmul {@code x^T (c ⊙ dy)}.</li>
 * </ul>
 * Embeddings use a scatter-add of {@code dy} by token id (or the ghost identity with an
 * equal-id mask); LayerNorm gains and biases use column sums. With subject-level privacy units the
 * per-unit gradient is the sum over the unit's examples before any norm is taken.
 */
package org.dpvideo.dpsgd.persample;
