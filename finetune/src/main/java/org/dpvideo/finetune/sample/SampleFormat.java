package org.dpvideo.finetune.sample;

import java.util.Locale;

/** The video container generated samples are written in. */
public enum SampleFormat {
  /** An animated GIF that loops forever (what sticker previews and the HTML report show). */
  GIF,
  /** An MP4 (MPEG-4 Part 2, yuv420p, through FFmpeg). */
  MP4;

  /** The file extension, without the dot. */
  public String extension() {
    return name().toLowerCase(Locale.ROOT);
  }
}
