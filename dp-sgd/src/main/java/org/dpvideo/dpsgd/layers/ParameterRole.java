package org.dpvideo.dpsgd.layers;

/** What a parameter is, within its layer. */
public enum ParameterRole {
  /** The weight matrix {@code [in, out]} of a linear layer. */
  LINEAR_WEIGHT,
  /** The bias {@code [out]} of a linear layer. */
  LINEAR_BIAS,
  /** The table {@code [vocabulary, dim]} of an embedding. */
  EMBEDDING_TABLE,
  /** The gain {@code [features]} of a LayerNorm. */
  NORM_GAIN,
  /** The bias {@code [features]} of a LayerNorm. */
  NORM_BIAS,
  /** The down-projection {@code [in, rank]} of a LoRA adapter. */
  LORA_A,
  /** The up-projection {@code [rank, out]} of a LoRA adapter. */
  LORA_B
}
