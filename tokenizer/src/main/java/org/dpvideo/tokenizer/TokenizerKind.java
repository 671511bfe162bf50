package org.dpvideo.tokenizer;

/** The video tokenizer implementations. */
public enum TokenizerKind {
  /** Vector quantizer of space-time tubes with a k-means++ codebook ({@code org.dpvideo.tokenizer.vq}). */
  VQ,
  /** Learned causal 3-D conv autoencoder with lookup-free quantization ({@code org.dpvideo.tokenizer.lfq}). */
  LFQ;

  /** Lower-case name used in files and on the command line. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
