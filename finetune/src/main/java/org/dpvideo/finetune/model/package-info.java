/**
 * The video language model: a VideoPoet-style decoder-only prefix LM (Kondratyuk et al., "VideoPoet: A
 * Large Language Model for Zero-Shot Video Generation", ICML 2024) over one shared vocabulary of text
 * bytes, special task tokens and video codes, built from the DP engine's layer vocabulary so that the
 * engine's per-sample clipping applies to every trained parameter.
 *
 * <p>{@link org.dpvideo.finetune.model.VideoLm} owns one {@link org.dpvideo.dpsgd.layers.ParameterStore}
 * and builds one graph per task sequence length over it (training graphs with the loss on output tokens
 * only, full-logit graphs for decoding without a cache, prefill and one-token step graphs for the KV
 * cache). Positions are factorized over (time, row, column) for video tokens plus 1-D positions for
 * text and special tokens ({@link org.dpvideo.finetune.model.TokenPositions}), derived from the token
 * sequence itself. {@link org.dpvideo.finetune.model.CachedDecoder} and
 * {@link org.dpvideo.finetune.model.RecomputingDecoder} implement the sampler's
 * {@link org.dpvideo.finetune.sample.AutoregressiveModel}.
 */
package org.dpvideo.finetune.model;
