package org.dpvideo.dpsgd.noise;

import java.io.Serializable;
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
 * A keyed pseudo-random function {@code F_K(domain, step, index) -> 64 bits}: word {@code index mod 8}
 * of ChaCha20 block {@code index / 8} under key K and the 96-bit nonce {@code (step, domain)} (RFC 8439).
 * Under a secret random key its outputs are indistinguishable from independent uniform words, and the
 * same inputs always give the same output: whoever recomputes a value (a retried Spark task, another
 * partition, a resumed seeded run) gets the same bits, and no state advances. That is what makes
 * sampling decisions replay-safe in data-parallel training.
 *
 * <p>{@link #secure(String)} keys it from {@link SecureRandom}; {@link #seeded(long, String)} derives the
 * key from a seed with SHA-256 and is labelled {@link RandomnessLabel#SEEDED} (tests and reproducibility
 * runs only). The key is secret: it leaves this object only by Java serialization, to the machines that
 * compute the sampling decisions (the Spark driver and its executors, who see the raw data anyway);
 * {@link #toString()} never prints it. Distinct (step, domain) pairs never share a nonce.
 *
 * <p>Thread-safe (each call uses its own cipher).
 */
public final class KeyedPrf implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Indices per call are limited so the 32-bit block counter never wraps. */
  static final long MAX_INDEX = (1L << 32) * 8 - 1;
  /** The most words one call returns (bounds the keystream buffer to 64 MiB). */
  public static final int MAX_WORDS_PER_CALL = 1 << 23;

  private final byte[] key;
  private final RandomnessLabel label;
  private final String purpose;

  private KeyedPrf(byte[] key, RandomnessLabel label, String purpose) {
    this.key = key;
    this.label = label;
    this.purpose = purpose;
  }

  /** A PRF keyed with 256 bits from {@link SecureRandom}. */
  public static KeyedPrf secure(String purpose) {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new KeyedPrf(key, RandomnessLabel.SECURE, Objects.requireNonNull(purpose, "purpose"));
  }

  /** A reproducible PRF keyed by SHA-256 of the seed and purpose. NOT private: label SEEDED. */
  public static KeyedPrf seeded(long seed, String purpose) {
    return new KeyedPrf(sha256("dpvideo keyed prf|" + Objects.requireNonNull(purpose, "purpose") + "|" + seed),
        RandomnessLabel.SEEDED, purpose);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available in this Java runtime", e);
    }
  }

  /** Where the key came from. */
  public RandomnessLabel label() {
    return label;
  }

  /** What the PRF is for. */
  public String purpose() {
    return purpose;
  }

  /**
   * {@code out[i] = F_K(domain, step, first + i)}.
   *
   * @param domain separates uses of one key (0 .. 2^32-1)
   * @param step any long (the training step)
   * @param first the first index, &gt;= 0
   * @throws IllegalArgumentException if an index is out of range
   */
  public void words(int domain, long step, long first, long[] out) {
    if (first < 0 || first + out.length - 1 > MAX_INDEX) {
      throw new IllegalArgumentException("PRF indices must be in [0, " + MAX_INDEX + "], got " + first + " + "
          + out.length);
    }
    if (out.length == 0) {
      return;
    }
    long firstBlock = first / 8;
    long lastBlock = (first + out.length - 1) / 8;
    if (out.length > MAX_WORDS_PER_CALL) {
      throw new IllegalArgumentException("at most " + MAX_WORDS_PER_CALL + " PRF words per call, asked for " + out.length
          + "; ask in chunks");
    }
    int bytes = (int) ((lastBlock - firstBlock + 1) * 64);
    byte[] nonce = new byte[12];
    ByteBuffer.wrap(nonce).order(ByteOrder.LITTLE_ENDIAN).putLong(step).putInt(domain);
    byte[] stream;
    try {
      Cipher c = Cipher.getInstance("ChaCha20");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new ChaCha20ParameterSpec(nonce, (int) firstBlock));
      stream = c.doFinal(new byte[bytes]);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot run ChaCha20 for PRF '" + purpose + "'", e);
    }
    ByteBuffer b = ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN);
    int skip = (int) (first - firstBlock * 8);
    for (int i = 0; i < out.length; i++) {
      out[i] = b.getLong((skip + i) * 8);
    }
  }

  /** One value {@code F_K(domain, step, index)}. */
  public long word(int domain, long step, long index) {
    long[] one = new long[1];
    words(domain, step, index, one);
    return one[0];
  }

  /**
   * A random stream for one (domain, step, index), keyed by SHA-256 of this key and the triple: a
   * stateless function of its inputs like the PRF itself (for variable-length draws such as picking
   * a random subset of a unit's examples). Same label as this PRF.
   */
  public RandomStream stream(int domain, long step, long index) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("dpvideo prf stream|".getBytes(StandardCharsets.UTF_8));
      sha.update(key);
      sha.update(ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putInt(domain).putLong(step).putLong(index)
          .array());
      return RandomStream.fromKey(sha.digest(), label, purpose + "/" + domain + "/" + step + "/" + index);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available in this Java runtime", e);
    }
  }

  @Override
  public String toString() {
    return "KeyedPrf[" + purpose + ", " + label + "]";
  }
}
