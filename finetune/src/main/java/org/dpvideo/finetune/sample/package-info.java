/**
 * Sampling from the video language model: temperature, top-k, top-p, classifier-free guidance with a
 * null-condition branch, restriction to the video-code ids, fixed-length generation of a token grid
 * ({@link org.dpvideo.finetune.sample.GridSampler}), seeded or secure randomness
 * ({@link org.dpvideo.finetune.sample.SamplingRandomness}), and writing samples as GIF/MP4 with a
 * labelled contact sheet ({@link org.dpvideo.finetune.sample.SampleOutput}). The model is seen through
 * {@link org.dpvideo.finetune.sample.AutoregressiveModel}, which the video LM implements with and
 * without a KV cache.
 */
package org.dpvideo.finetune.sample;
