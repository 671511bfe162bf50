/**
 * Captions to token ids: UTF-8 bytes after a block of special tokens (padding, sequence bounds, one
 * token per VideoPoet task, condition/output video bounds, mask, null condition). Byte-level on
 * purpose: it needs no fitting, so no caption (public or private) shapes the vocabulary.
 */
package org.dpvideo.tokenizer.text;
