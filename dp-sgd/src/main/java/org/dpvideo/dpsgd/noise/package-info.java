/**
 * Randomness for the privacy kernel: a cryptographic random stream (ChaCha20 keyed from
 * {@link java.security.SecureRandom} by default) and the Gaussian noise built on it.
 *
 * <p>Secure by default: {@link org.dpvideo.dpsgd.noise.RandomStream#secure(String)} cannot be
 * replayed, its key never leaves the process and it is never checkpointed. A seeded stream
 * ({@link org.dpvideo.dpsgd.noise.RandomStream#seeded(long, String)}) exists for tests and
 * reproducibility runs only; it carries the label {@link org.dpvideo.dpsgd.noise.RandomnessLabel#SEEDED}
 * and every report that touches it must print that label.
 *
 * <p>Gaussian noise is added by {@link org.dpvideo.dpsgd.noise.LatticeGaussianMechanism}, which
 * releases exact multiples of a power-of-two granularity so that the floating-point attacks on naive
 * samplers (Mironov 2012; Jin et al. 2022) have nothing to read; see {@code docs/privacy-model.md}.
 */
package org.dpvideo.dpsgd.noise;
