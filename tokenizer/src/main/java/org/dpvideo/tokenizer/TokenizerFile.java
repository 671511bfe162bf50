package org.dpvideo.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The on-disk form of a fitted tokenizer: a magic line, a JSON header ({@code kind}, {@code version},
 * {@code config}) and named ND4J arrays. Written to a temporary file and renamed.
 *
 * @param header the JSON header; must hold {@code kind}
 * @param arrays named parameter arrays, in a fixed order
 */
public record TokenizerFile(ObjectNode header, Map<String, INDArray> arrays) {
  private static final String MAGIC = "DPVTOK1\n";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A new empty header for {@code kind}. */
  public static ObjectNode newHeader(TokenizerKind kind) {
    ObjectNode h = JSON.createObjectNode();
    h.put("kind", kind.label());
    return h;
  }

  /** The kind named in the header. */
  public TokenizerKind kind() {
    return TokenizerKind.valueOf(header.get("kind").asText().toUpperCase(java.util.Locale.ROOT));
  }

  /** The {@code config} object of the header. */
  public JsonNode config() {
    return header.get("config");
  }

  /**
   * A stable hash of a configuration (its JSON text) and parameter arrays (their float32 values):
   * the first 16 hex digits of SHA-256.
   */
  public static String hash(JsonNode config, Map<String, INDArray> arrays) {
    Hasher h = Hashing.sha256().newHasher();
    h.putString(config.toString(), StandardCharsets.UTF_8);
    for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
      h.putString(e.getKey(), StandardCharsets.UTF_8);
      INDArray a = e.getValue().castTo(DataType.FLOAT).dup('c');
      for (long s : a.shape()) {
        h.putLong(s);
      }
      for (float f : a.data().asFloat()) {
        h.putFloat(f);
      }
    }
    return h.hash().toString().substring(0, 16);
  }

  /** Writes to {@code file} atomically. */
  public void write(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".part");
    try {
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
        out.write(MAGIC.getBytes(StandardCharsets.US_ASCII));
        byte[] h = JSON.writeValueAsBytes(header);
        out.writeInt(h.length);
        out.write(h);
        out.writeInt(arrays.size());
        for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
          out.writeUTF(e.getKey());
          Nd4j.write(e.getValue(), out);
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Reads a tokenizer file.
   *
   * @throws IOException when it is not a dpvideo tokenizer file or is damaged (message names the file)
   */
  public static TokenizerFile read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("tokenizer file " + file + " does not exist; fit one with"
          + " 'dpvideo tokenizer fit'.");
    }
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      byte[] magic = in.readNBytes(MAGIC.length());
      if (!MAGIC.equals(new String(magic, StandardCharsets.US_ASCII))) {
        throw new IOException(file + " is not a dpvideo tokenizer file (wrong magic bytes).");
      }
      int n = in.readInt();
      if (n <= 0 || n > (1 << 24)) {
        throw new IOException(file + " has a damaged header (length " + n + ").");
      }
      ObjectNode header = (ObjectNode) JSON.readTree(in.readNBytes(n));
      int count = in.readInt();
      Map<String, INDArray> arrays = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        String name = in.readUTF();
        arrays.put(name, Nd4j.read(in));
      }
      return new TokenizerFile(header, arrays);
    } catch (IOException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IOException(file + " is a damaged tokenizer file: " + e.getMessage(), e);
    }
  }
}
