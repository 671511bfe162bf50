/**
 * The layer vocabulary: SameDiff building blocks whose per-sample gradients the engine knows.
 *
 * <p>A model is built with {@link org.dpvideo.dpsgd.layers.ModelBuilder} from linear layers
 * (optionally with LoRA adapters), embeddings, LayerNorm, and parameter-free pieces (attention,
 * GELU, residual sums, losses) written with plain SameDiff ops. Every trainable weight is a
 * {@link org.dpvideo.dpsgd.layers.Parameter} owned by exactly one
 * {@link org.dpvideo.dpsgd.layers.LayerSite}; {@link org.dpvideo.dpsgd.layers.ModelBuilder#build()}
 * rejects graphs that use a parameter anywhere else (tied weights) or that hold SameDiff variables
 * the vocabulary did not create, because their per-sample gradients would be unknown.
 *
 * <p>Sequence activations are two-dimensional {@code [B*T, features]}, rows grouped by example
 * (example 0's T rows first); a {@code [B, T, d]} tensor is passed flattened. Per-example placeholders
 * have the batch as their first dimension.
 *
 * <p>See {@code docs/engine.md} for the builder's guide.
 */
package org.dpvideo.dpsgd.layers;
