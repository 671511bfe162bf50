/**
 * The learned tokenizer: a small causal 3-D convolutional autoencoder over space-time tubes with
 * lookup-free quantization (LFQ: each latent channel is quantized to its sign, so a token is a K-bit
 * code of an implicit 2^K codebook; Yu et al., "Language Model Beats Diffusion -- Tokenizer is Key to
 * Visual Generation", ICLR 2024, the MAGVIT-v2 paper; Luo et al., Open-MAGVIT2, 2024), trained with
 * SameDiff on public clips: reconstruction MSE, a commitment term, and an entropy penalty (low
 * per-token entropy, high codebook entropy) in the per-bit factorized form of Zhao et al., "Image and
 * Video Tokenization with Binary Spherical Quantization", 2024.
 *
 * <p>Causality: every convolution is padded only on the past side in time, and the first frame is its
 * own tube, so the first token row depends on the first frame alone.
 */
package org.dpvideo.tokenizer.lfq;
