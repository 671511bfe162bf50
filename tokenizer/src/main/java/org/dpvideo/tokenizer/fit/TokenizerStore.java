package org.dpvideo.tokenizer.fit;

import java.io.IOException;
import java.nio.file.Path;
import org.dpvideo.tokenizer.TokenizerFile;
import org.dpvideo.tokenizer.VideoTokenizer;
import org.dpvideo.tokenizer.lfq.LfqTokenizer;
import org.dpvideo.tokenizer.vq.PatchVqTokenizer;

/** Loads a saved tokenizer of any kind. Stateless and thread-safe. */
public final class TokenizerStore {
  private TokenizerStore() {}

  /**
   * Reads {@code file} (written by {@link VideoTokenizer#save}) and checks its version hash.
   *
   * @throws IOException when the file is missing, not a tokenizer file or damaged
   */
  public static VideoTokenizer load(Path file) throws IOException {
    TokenizerFile f = TokenizerFile.read(file);
    try {
      return switch (f.kind()) {
        case VQ -> PatchVqTokenizer.fromFile(f);
        case LFQ -> LfqTokenizer.fromFile(f);
      };
    } catch (RuntimeException e) {
      throw new IOException("tokenizer file " + file + " cannot be loaded: " + e.getMessage(), e);
    }
  }
}
