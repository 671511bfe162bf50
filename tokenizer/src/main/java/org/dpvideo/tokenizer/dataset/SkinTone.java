package org.dpvideo.tokenizer.dataset;

/**
 * The five Unicode emoji skin-tone modifiers (U+1F3FB..U+1F3FF, after the Fitzpatrick scale) and
 * "unspecified" for emoji without one. In the Fluent Emoji data these modifiers <em>stand in for
 * demographic groups</em>: they are the only group label the public data offers, not a statement about
 * people.
 */
public enum SkinTone {
  /** U+1F3FB EMOJI MODIFIER FITZPATRICK TYPE-1-2. */
  LIGHT(0x1F3FB),
  /** U+1F3FC EMOJI MODIFIER FITZPATRICK TYPE-3. */
  MEDIUM_LIGHT(0x1F3FC),
  /** U+1F3FD EMOJI MODIFIER FITZPATRICK TYPE-4. */
  MEDIUM(0x1F3FD),
  /** U+1F3FE EMOJI MODIFIER FITZPATRICK TYPE-5. */
  MEDIUM_DARK(0x1F3FE),
  /** U+1F3FF EMOJI MODIFIER FITZPATRICK TYPE-6. */
  DARK(0x1F3FF),
  /** No modifier. */
  UNSPECIFIED(-1);

  private final int codePoint;

  SkinTone(int codePoint) {
    this.codePoint = codePoint;
  }

  /** The modifier's code point, or -1 for {@link #UNSPECIFIED}. */
  public int codePoint() {
    return codePoint;
  }

  /** The manifest label, e.g. {@code medium_dark}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The tone of code point {@code cp}, or {@code null} when it is not a modifier. */
  public static SkinTone ofModifier(int cp) {
    for (SkinTone t : values()) {
      if (t.codePoint == cp) {
        return t;
      }
    }
    return null;
  }
}
