/**
 * VideoPoet's task prompts (Kondratyuk et al., ICML 2024, section 4.1): each task is a fixed layout of a
 * task token, a condition prefix (caption, condition frames, a masked copy of the video, reference
 * images) and the output video, so every task has one sequence length per token grid
 * ({@link org.dpvideo.finetune.task.TaskLayout}); {@link org.dpvideo.finetune.task.TaskPrompts} builds
 * the sequences, including the null condition of classifier-free guidance.
 */
package org.dpvideo.finetune.task;
