/**
 * Fitting tokenizers on a manifest of public footage (refusing private rows), loading saved tokenizers
 * of either kind, and building the clip lists they are fitted and evaluated on.
 */
package org.dpvideo.tokenizer.fit;
