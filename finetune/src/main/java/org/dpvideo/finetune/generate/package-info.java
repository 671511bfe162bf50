/**
 * Generation from a trained {@link org.dpvideo.finetune.model.VideoLm} for any task, and its evaluation:
 * {@link org.dpvideo.finetune.generate.TaskRequests} turns a task, its condition (caption, condition clip,
 * reference image) and the model's vocabulary into the sampler's
 * {@link org.dpvideo.finetune.sample.GenerationRequest}, and checks first that the model can express the
 * task; {@link org.dpvideo.finetune.generate.VideoLmDecoding} picks the KV-cache or the recomputing decoder;
 * {@link org.dpvideo.finetune.generate.ModelEvaluation} samples a model per group from held-out clips'
 * prompts, writes the samples and measures quality and decoding collapse next to the real held-out clips
 * ({@code docs/metrics.md}, "Evaluating a model").
 */
package org.dpvideo.finetune.generate;
