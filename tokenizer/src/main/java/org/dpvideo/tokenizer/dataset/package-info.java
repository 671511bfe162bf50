/**
 * Datasets: the manifest CSV ({@code path, caption, subject, split, provenance, group:*}) validated as a
 * whole, the Fluent Emoji sticker data (fetch, integrity check, manifest with Unicode captions and
 * skin-tone groups), dataset inspection (counts, frame statistics, contact sheet), and the on-disk cache
 * of tokenized clips keyed by tokenizer version, clip spec and manifest content.
 */
package org.dpvideo.tokenizer.dataset;
