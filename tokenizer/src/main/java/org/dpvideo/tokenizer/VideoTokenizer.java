package org.dpvideo.tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dpvideo.tokenizer.video.Clip;
import org.dpvideo.tokenizer.video.ClipSpec;

/**
 * Clips to token grids and back. Causal in time: the first frame is coded alone (an image is a
 * one-frame video, and images and videos share one vocabulary, as in MAGVIT-v2 and VideoPoet), later
 * frames in tubes of {@link #temporalPatch()} frames; space is cut in {@link #spatialPatch()}-pixel
 * squares. A clip of {@code 1 + k * temporalPatch} frames of {@code H x W} pixels gives a grid of
 * {@code (1 + k) x (H / p) x (W / p)} ids in {@code [0, vocabSize())}.
 *
 * <p>Fitted tokenizers are immutable; {@link #version()} is a stable hash of kind, configuration and
 * parameters, recorded with every model and every tokenized-dataset cache. Implementations are safe to
 * call from several threads unless they say otherwise.
 */
public interface VideoTokenizer {

  /** Which implementation this is. */
  TokenizerKind kind();

  /** Number of distinct video token ids. */
  int vocabSize();

  /** Frames per tube after the first frame. */
  int temporalPatch();

  /** Pixels per token side. */
  int spatialPatch();

  /**
   * A stable identifier of the fitted tokenizer, e.g. {@code vq-1024-2x4x4-3f2a...}: kind, vocabulary,
   * patch shape and a SHA-256 prefix of configuration and parameters.
   */
  String version();

  /**
   * The grid shape of clips of {@code spec}.
   *
   * @throws IllegalArgumentException when {@code spec.frames()} is not {@code 1 + k * temporalPatch()} or
   *     the frame size is not a multiple of {@link #spatialPatch()} (the message says which values fit)
   */
  default GridShape gridShape(ClipSpec spec) {
    return gridShape(spec.frames(), spec.height(), spec.width());
  }

  /** As {@link #gridShape(ClipSpec)} for raw sizes. */
  default GridShape gridShape(int frames, int height, int width) {
    int tp = temporalPatch();
    int p = spatialPatch();
    if (frames < 1 || (frames - 1) % tp != 0) {
      throw new IllegalArgumentException(kind().label() + " tokenizer codes the first frame alone and then"
          + " tubes of " + tp + " frames, so a clip needs 1 + k*" + tp + " frames (e.g. " + (1 + 4 * tp)
          + " or " + (1 + 8 * tp) + "), got " + frames + ".");
    }
    if (height % p != 0 || width % p != 0) {
      throw new IllegalArgumentException(kind().label() + " tokenizer cuts frames in " + p + "x" + p
          + " patches, so height and width must be multiples of " + p + ", got " + height + "x" + width + ".");
    }
    return new GridShape(1 + (frames - 1) / tp, height / p, width / p);
  }

  /** Encodes one clip. */
  default TokenGrid encode(Clip clip) {
    return encodeBatch(List.of(clip)).get(0);
  }

  /** Encodes clips of one size (batched for speed). */
  List<TokenGrid> encodeBatch(List<Clip> clips);

  /** Decodes one grid to a clip played at {@code fps}. */
  default Clip decode(TokenGrid grid, double fps) {
    return decodeBatch(List.of(grid), fps).get(0);
  }

  /** Decodes grids of one shape (batched for speed). */
  List<Clip> decodeBatch(List<TokenGrid> grids, double fps);

  /** Encode then decode. */
  default List<Clip> reconstruct(List<Clip> clips) {
    List<Clip> out = new ArrayList<>();
    List<TokenGrid> grids = encodeBatch(clips);
    List<Clip> dec = decodeBatch(grids, clips.get(0).fps());
    out.addAll(dec);
    return out;
  }

  /** Saves the fitted tokenizer; load with {@code org.dpvideo.tokenizer.fit.TokenizerStore#load}. */
  void save(Path file) throws IOException;
}
