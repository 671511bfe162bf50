package org.dpvideo.dpsgd.noise;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A stream of random bits from the ChaCha20 stream cipher (RFC 8439) run over zeros, as in the
 * "ChaCha20 DRBG" constructions: the output of a secure stream cipher under a secret random key is
 * indistinguishable from uniform bits.
 *
 * <p>{@link #secure(String)} keys the cipher with 256 bits from {@link SecureRandom}; the key stays in
 * this object and is never exported, so the stream cannot be replayed (a checkpoint resumes with a
 * fresh key). {@link #seeded(long, String)} derives the key from a seed with SHA-256; it is labelled
 * {@link RandomnessLabel#SEEDED} and is meant for tests and reproducibility runs only.
 *
 * <p>The 32-bit block counter of RFC 8439 covers 256 GiB per nonce; the stream moves to the next
 * nonce before the counter runs out, so it never repeats.
 *
 * <p>Not thread-safe: give each thread its own stream.
 */
public final class RandomStream {
  private static final int BUFFER_BYTES = 1 << 16;
  /** Blocks per nonce before re-initialising (well under the 2^32 limit). */
  private static final long BLOCKS_PER_NONCE = 1L << 30;

  private final RandomnessLabel label;
  private final String purpose;
  private final SecretKeySpec key;
  private final Cipher cipher;
  private final byte[] zeros = new byte[BUFFER_BYTES];
  private final ByteBuffer buffer;
  private long nonceIndex;
  private long blocksUnderNonce;
  private long bytesConsumed;

  private RandomStream(byte[] keyBytes, RandomnessLabel label, String purpose) {
    this(keyBytes, label, purpose, 0, 0);
  }

  private RandomStream(byte[] keyBytes, RandomnessLabel label, String purpose, long startNonce, long startBlocks) {
    this.label = label;
    this.purpose = purpose;
    this.key = new SecretKeySpec(keyBytes, "ChaCha20");
    try {
      this.cipher = Cipher.getInstance("ChaCha20");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this Java runtime has no ChaCha20 cipher; dpvideo needs Java 17 or newer", e);
    }
    java.util.Arrays.fill(keyBytes, (byte) 0);
    this.buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    this.buffer.position(BUFFER_BYTES);
    initNonceAt(startNonce, startBlocks);
  }

  /**
   * A stream keyed from {@link SecureRandom}.
   *
   * @param purpose what the stream is for (for example {@code "gradient-noise"}); shown in errors only
   */
  public static RandomStream secure(String purpose) {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new RandomStream(key, RandomnessLabel.SECURE, Objects.requireNonNull(purpose, "purpose"));
  }

  /**
   * A reproducible stream keyed by SHA-256 of the seed and the purpose, so streams for different
   * purposes under one seed are independent. NOT private: label {@link RandomnessLabel#SEEDED}.
   */
  public static RandomStream seeded(long seed, String purpose) {
    return new RandomStream(seedKey(seed, purpose), RandomnessLabel.SEEDED, purpose);
  }

  /** A stream under a key derived elsewhere in this package ({@link KeyedPrf#stream}); the array is wiped. */
  static RandomStream fromKey(byte[] key, RandomnessLabel label, String purpose) {
    return new RandomStream(key, label, purpose);
  }

  private static byte[] seedKey(long seed, String purpose) {
    Objects.requireNonNull(purpose, "purpose");
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return sha.digest(("dpvideo seeded stream|" + purpose + "|" + seed).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available in this Java runtime", e);
    }
  }

  /**
   * A seeded stream positioned after {@code bytesConsumed} bytes, as if that many had been read from
   * {@link #seeded(long, String)} (for resuming a reproducibility run).
   */
  public static RandomStream seededAt(long seed, String purpose, long bytesConsumed) {
    if (bytesConsumed < 0) {
      throw new IllegalArgumentException("bytesConsumed must be >= 0, got " + bytesConsumed);
    }
    long buffers = bytesConsumed / BUFFER_BYTES;
    long nonce = 0;
    long blocks = 0;
    for (long i = 0; i < buffers; i++) {
      if (blocks + BUFFER_BYTES / 64 > BLOCKS_PER_NONCE) {
        nonce++;
        blocks = 0;
      }
      blocks += BUFFER_BYTES / 64;
    }
    RandomStream s = new RandomStream(seedKey(seed, purpose), RandomnessLabel.SEEDED, purpose, nonce, blocks);
    int rest = (int) (bytesConsumed % BUFFER_BYTES);
    s.skipBytes(rest);
    s.bytesConsumed = bytesConsumed;
    return s;
  }

  private void initNonceAt(long index, long blocks) {
    byte[] nonce = new byte[12];
    ByteBuffer.wrap(nonce).order(ByteOrder.LITTLE_ENDIAN).putLong(index);
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, new ChaCha20ParameterSpec(nonce, (int) blocks));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot initialise ChaCha20 for stream '" + purpose + "'", e);
    }
    nonceIndex = index;
    blocksUnderNonce = blocks;
  }

  private void skipBytes(int n) {
    if (n == 0) {
      return;
    }
    refill();
    buffer.position(n);
  }

  /** Where this stream's key came from. */
  public RandomnessLabel label() {
    return label;
  }

  /** What the stream is for. */
  public String purpose() {
    return purpose;
  }

  /** Bytes consumed so far (for reproducibility reports of seeded runs). */
  public long bytesConsumed() {
    return bytesConsumed;
  }

  private void refill() {
    if (blocksUnderNonce + BUFFER_BYTES / 64 > BLOCKS_PER_NONCE) {
      initNonceAt(nonceIndex + 1, 0);
    }
    try {
      int n = cipher.update(zeros, 0, BUFFER_BYTES, buffer.array(), 0);
      if (n != BUFFER_BYTES) {
        throw new IllegalStateException("ChaCha20 returned " + n + " bytes instead of " + BUFFER_BYTES);
      }
    } catch (javax.crypto.ShortBufferException e) {
      throw new IllegalStateException("keystream buffer too small", e);
    }
    blocksUnderNonce += BUFFER_BYTES / 64;
    buffer.position(0);
  }

  /** 64 uniformly random bits. */
  public long nextLong() {
    if (buffer.remaining() < 8) {
      refill();
    }
    bytesConsumed += 8;
    return buffer.getLong();
  }

  /** A uniform double in [0, 1) on the grid of multiples of 2^-53. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /**
   * A uniform double in (0, 1] with full floating-point precision: the exponent is drawn
   * geometrically (one bit per halving) and the 52-bit mantissa uniformly, so every double in
   * (0, 1] is reached with probability proportional to the interval it stands for, down to
   * subnormals. Used for the radius of Box-Muller so the Gaussian tail is not cut at 8.6 sigma.
   */
  public double nextDoubleOpenZero() {
    long bits = nextLong();
    int leading = Long.numberOfLeadingZeros(bits);
    if (leading < 12) {
      // Common case (all but 2^-12 of draws): the leading zeros pick the binade [2^-(k+1), 2^-k) and the
      // low 52 bits, independent of the bits that decided the binade, are the mantissa.
      long mantissa = bits & ((1L << 52) - 1);
      return Math.scalb(1.0 + (mantissa + 1) * 0x1.0p-52, -1 - leading);
    }
    int exponent = -1 - leading;
    if (bits == 0) {
      exponent = -1;
      while (bits == 0) {
        exponent -= 64;
        if (exponent < -1074) {
          return Double.MIN_VALUE;
        }
        bits = nextLong();
      }
      exponent -= Long.numberOfLeadingZeros(bits);
    }
    long mantissa = nextLong() >>> 12;
    // Value in (2^exponent, 2^(exponent+1)] with a uniform mantissa.
    double v = Math.scalb(1.0 + (mantissa + 1) * 0x1.0p-52, exponent);
    return Math.max(Math.min(v, 1.0), Double.MIN_VALUE);
  }

  /**
   * A Bernoulli draw: true with probability {@code p}, compared on 53 bits (exact for every p that
   * is a multiple of 2^-53).
   *
   * @param p in [0, 1]
   */
  public boolean nextBernoulli(double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("Bernoulli probability must be in [0, 1], got " + p);
    }
    return nextDouble() < p;
  }

  /** A uniform integer in [0, bound), without modulo bias. */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be > 0, got " + bound);
    }
    // Reject the lowest (2^64 mod bound) values so every residue is equally likely.
    long threshold = Long.remainderUnsigned(-(long) bound, bound);
    while (true) {
      long r = nextLong();
      if (Long.compareUnsigned(r, threshold) >= 0) {
        return (int) Long.remainderUnsigned(r, bound);
      }
    }
  }
}
