/**
 * The {@code dpvideo} command-line tool: one picocli command per job, each printing clear one-sentence
 * errors (with a stack trace only under {@code --verbose}) and exiting non-zero on failure.
 */
package org.dpvideo.finetune.cli;
