/**
 * Training the video LM: task groups of fixed-length sequences (Alternating Gradient Descent,
 * {@link org.dpvideo.finetune.train.TaskExamples}), non-private pretraining on public data with the
 * two-stage image/video mixing ({@link org.dpvideo.finetune.train.Pretrainer}), differentially private
 * fine-tuning through the DP engine with the budget ledger and checkpoints
 * ({@link org.dpvideo.finetune.train.PrivateFineTune}), and the progress line on stderr.
 */
package org.dpvideo.finetune.train;
