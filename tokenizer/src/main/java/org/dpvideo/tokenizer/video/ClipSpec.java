package org.dpvideo.tokenizer.video;

import java.util.Locale;

/**
 * The fixed shape every clip of a dataset is brought to: {@code frames} RGB frames of {@code height} x
 * {@code width} pixels sampled at {@code fps}, with transparency flattened on {@code background}.
 *
 * <p>Video tokenizers here are causal in time: the first frame is coded alone and later frames in tubes
 * of {@code temporalPatch} frames, so {@code frames} must be {@code 1 + k * temporalPatch}; that rule is
 * checked by the tokenizer, not here (a spec is also used for plain decoding).
 *
 * @param frames number of frames, at least 1 (1 = an image)
 * @param fps sampling rate in frames per second, finite and positive
 * @param height frame height in pixels, at least 2
 * @param width frame width in pixels, at least 2
 * @param background RGB colour {@code 0xRRGGBB} that transparent pixels are composited on
 */
public record ClipSpec(int frames, double fps, int height, int width, int background) {

  /** The demo's spec: 9 frames (1 + 4 x 2) at 8 fps, 32 x 32 pixels, on white. */
  public static final ClipSpec DEMO = new ClipSpec(9, 8.0, 32, 32, 0xFFFFFF);

  /** A larger spec for quality runs: 17 frames (1 + 8 x 2) at 8 fps, 64 x 64 pixels, on white. */
  public static final ClipSpec MEDIUM = new ClipSpec(17, 8.0, 64, 64, 0xFFFFFF);

  /** Validates the fields. */
  public ClipSpec {
    if (frames < 1 || frames > 4096) {
      throw new IllegalArgumentException("ClipSpec.frames must be in [1, 4096], got " + frames
          + "; use 1 for an image or 1 + k * 2 (e.g. 9, 17) for the causal tokenizers.");
    }
    if (!Double.isFinite(fps) || fps <= 0 || fps > 1000) {
      throw new IllegalArgumentException("ClipSpec.fps must be finite and in (0, 1000], got " + fps
          + "; stickers play at about 24 fps, the demo samples them at 8.");
    }
    if (height < 2 || width < 2 || height > 4096 || width > 4096) {
      throw new IllegalArgumentException("ClipSpec size must be in [2, 4096] x [2, 4096] pixels, got "
          + height + "x" + width + " (height x width); the demo uses 32x32.");
    }
    if ((background & 0xFF000000) != 0) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "ClipSpec.background must be an RGB colour 0xRRGGBB without alpha, got 0x%08X; "
              + "use e.g. 0xFFFFFF for white.", background));
    }
  }

  /** This spec with another frame count. */
  public ClipSpec withFrames(int newFrames) {
    return new ClipSpec(newFrames, fps, height, width, background);
  }

  /** This spec with another frame rate. */
  public ClipSpec withFps(double newFps) {
    return new ClipSpec(frames, newFps, height, width, background);
  }

  /** This spec with another frame size. */
  public ClipSpec withSize(int newHeight, int newWidth) {
    return new ClipSpec(frames, fps, newHeight, newWidth, background);
  }

  /** This spec with another background colour. */
  public ClipSpec withBackground(int rgb) {
    return new ClipSpec(frames, fps, height, width, rgb);
  }

  /** Duration of a clip of this spec in seconds ({@code frames / fps}). */
  public double durationSeconds() {
    return frames / fps;
  }

  /** A stable, file-name-safe key, e.g. {@code f9-fps8-32x32-bgFFFFFF}; used in cache keys. */
  public String key() {
    String f = fps == Math.rint(fps) ? Long.toString((long) fps) : Double.toString(fps).replace('.', 'p');
    return String.format(Locale.ROOT, "f%d-fps%s-%dx%d-bg%06X", frames, f, height, width, background);
  }

  /**
   * Parses the CLI form {@code FRAMESxHEIGHTxWIDTH@FPS}, e.g. {@code 9x32x32@8}; the background is
   * white.
   */
  public static ClipSpec parse(String text) {
    String t = text.trim();
    String[] at = t.split("@", -1);
    String[] dims = at[0].split("x", -1);
    try {
      if (at.length != 2 || dims.length != 3) {
        throw new NumberFormatException();
      }
      return new ClipSpec(Integer.parseInt(dims[0]), Double.parseDouble(at[1]),
          Integer.parseInt(dims[1]), Integer.parseInt(dims[2]), 0xFFFFFF);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("clip spec '" + text + "' is not of the form"
          + " FRAMESxHEIGHTxWIDTH@FPS; write e.g. 9x32x32@8 or 17x64x64@8.");
    }
  }

  @Override
  public String toString() {
    return key();
  }
}
