/**
 * The fast tokenizer: vector quantization of causal space-time tubes (first frame alone, then tubes of
 * frames, cut in square patches) against a codebook fitted by k-means++ (Arthur and Vassilvitskii, 2007)
 * followed by Lloyd iterations. All distance and update math is ND4J (matrix products and
 * segment sums), so it runs on either backend.
 */
package org.dpvideo.tokenizer.vq;
