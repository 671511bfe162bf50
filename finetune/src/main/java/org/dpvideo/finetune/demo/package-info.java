/**
 * The demo ({@code dpvideo demo}): Fluent Emoji stickers as public and private data, a tokenizer fitted
 * on public stickers, a small base model pretrained on the public part, a DPSGD-Global-Adapt fine-tune on
 * the skin-toned stickers (one tone under-represented), evaluation per skin tone against the base model,
 * samples, and the run directory with its privacy and fairness report.
 */
package org.dpvideo.finetune.demo;
