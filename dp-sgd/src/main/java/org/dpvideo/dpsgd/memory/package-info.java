/**
 * Native memory reuse for training steps. ND4J frees native buffers only when the Java garbage
 * collector finalises their owners, and a SameDiff gradient call allocates every activation and
 * gradient afresh, so without reuse each step touches new pages that the kernel must zero (measured
 * here: about 1.5 GB of fresh memory per step of the benchmark model, and roughly 40% of the CPU time
 * in page clearing). {@link org.dpvideo.dpsgd.memory.StepArena} hands the same buffers out again on
 * every step.
 */
package org.dpvideo.dpsgd.memory;
