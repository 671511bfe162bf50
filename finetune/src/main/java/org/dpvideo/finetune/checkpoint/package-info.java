/**
 * Durable files of a training run: model files ({@link org.dpvideo.finetune.checkpoint.ModelFile}: the
 * architecture, adapters and every parameter) and checkpoints
 * ({@link org.dpvideo.finetune.checkpoint.Checkpoint}: parameters, optimizer state, the engine's
 * {@code TrainerState} with the spent events, the clipping state Z and the seeded streams' positions,
 * the step and the ledger run id). Every file is written to a temporary file in the same directory and
 * renamed over the target, so a crash never leaves a half-written file in place.
 */
package org.dpvideo.finetune.checkpoint;
