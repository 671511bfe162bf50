package org.dpvideo.tokenizer.dataset;

/** How deeply {@link Manifest#load} checks each row's file. */
public enum ManifestCheck {
  /** Header and fields only; files are not touched. */
  FIELDS,
  /** Fields, plus: the file exists, has a recognised format and is not visibly truncated (cheap). */
  FILES,
  /** Everything above, plus a full decode of every file (slow on large datasets). */
  DECODE
}
