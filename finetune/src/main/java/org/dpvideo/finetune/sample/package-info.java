/**
 * Sampling from the video language model: temperature, top-k, classifier-free guidance, task
 * conditioning, and writing samples as GIF/MP4. The model is seen through {@link
 * org.dpvideo.finetune.sample.AutoregressiveModel}, which the video LM implements with and without a
 * KV cache.
 */
package org.dpvideo.finetune.sample;
