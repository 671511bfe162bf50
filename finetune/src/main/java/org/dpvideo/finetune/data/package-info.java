/**
 * Training data of the video LM: manifest rows decoded once into token grids with quality statistics
 * ({@link org.dpvideo.finetune.data.ClipTokenizer}, cached on disk and built on several threads), the
 * quality filter with thresholds fixed in advance ({@link org.dpvideo.finetune.data.QualityFilter}), and
 * the Fluent Emoji sticker data of the demo ({@link org.dpvideo.finetune.data.StickerData}).
 */
package org.dpvideo.finetune.data;
