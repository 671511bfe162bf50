/**
 * Reconstruction quality of video tokenizers: PSNR and SSIM per clip, per group and overall, code
 * usage and perplexity of the token ids, and encode throughput.
 */
package org.dpvideo.tokenizer.eval;
