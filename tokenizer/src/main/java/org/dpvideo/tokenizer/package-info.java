/**
 * Video and text to token ids and back: the {@link org.dpvideo.tokenizer.VideoTokenizer} seam with its
 * {@link org.dpvideo.tokenizer.TokenGrid}, and the registry that saves and loads fitted tokenizers.
 *
 * <p>Subpackages: {@code video} (decoding, clips, writers), {@code dataset} (manifests, the Fluent Emoji
 * data, the tokenized-dataset cache), {@code vq} (patch/tube vector quantizer), {@code lfq} (learned
 * causal 3-D autoencoder with lookup-free quantization), {@code text} (caption tokenizer with the task
 * prompts' special tokens), {@code eval} (reconstruction metrics).
 *
 * <p>This module knows nothing about privacy; it only refuses to fit a tokenizer on private rows
 * (a codebook or decoder fitted on footage memorises parts of it).
 */
package org.dpvideo.tokenizer;
