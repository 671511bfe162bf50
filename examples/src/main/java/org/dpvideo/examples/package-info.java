/**
 * Tested examples of the SDK: {@link org.dpvideo.examples.PrivateFineTuneExample} (the recipe: public
 * tokenizer and base, plan reserved in a ledger, subject-level DP-SGD of LoRA adapters, held-out NLL),
 * {@link org.dpvideo.examples.StickerExamples} (sticker animation and personalization on stickers drawn
 * in Java) and {@link org.dpvideo.examples.DomainExample} (fixed-camera footage as private data).
 */
package org.dpvideo.examples;
