package org.dpvideo.tokenizer.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextTokenizerTest {
  private final TextTokenizer tok = TextTokenizer.INSTANCE;

  @Test
  void encodeDecode_unicodeCaption_roundTrips() {
    String caption = "waving hand sign \u2014 caf\u00e9 \uD83D\uDC4B";
    int[] ids = tok.encode(caption, 1000);
    assertEquals(caption.getBytes(StandardCharsets.UTF_8).length, ids.length);
    assertEquals(caption, tok.decode(ids));
    for (int id : ids) {
      assertTrue(id >= TextTokenizer.BYTE_OFFSET && id < tok.vocabSize());
    }
  }

  @Test
  void encode_truncation_neverSplitsACharacter() {
    String caption = "\u00e9\u00e9\u00e9"; // 2 bytes each
    int[] ids = tok.encode(caption, 5);
    assertEquals(4, ids.length);
    assertEquals("\u00e9\u00e9", tok.decode(ids));
  }

  @Test
  void encodePadded_hasBoundsAndPadding() {
    int[] ids = tok.encodePadded("Hi  there", 16);
    assertEquals(16, ids.length);
    assertEquals(SpecialToken.BOT.id(), ids[0]);
    assertEquals("hi there", tok.decode(ids));
    assertEquals(SpecialToken.EOT.id(), ids[1 + "hi there".length()]);
    assertEquals(SpecialToken.PAD.id(), ids[15]);
  }

  @Test
  void specialTokens_coverEveryTaskAndAreDistinctFromBytes() {
    for (SpecialToken t : SpecialToken.values()) {
      assertTrue(tok.isSpecial(t.id()));
    }
    assertEquals(0, SpecialToken.PAD.id());
    assertEquals(TextTokenizer.BYTE_OFFSET + 256, tok.vocabSize());
    assertTrue(SpecialToken.valueOf("TASK_INPAINTING").id() != SpecialToken.valueOf("TASK_OUTPAINTING").id());
  }

  @Test
  void decode_outOfRangeId_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {tok.vocabSize()}));
  }
}
