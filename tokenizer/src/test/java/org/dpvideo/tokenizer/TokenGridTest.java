package org.dpvideo.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TokenGridTest {
  @Test
  void get_isRowMajorOverTimeRowsColumns() {
    int[] ids = new int[2 * 3 * 4];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i;
    }
    TokenGrid g = new TokenGrid(new GridShape(2, 3, 4), ids);
    assertEquals(1 * 12 + 2 * 4 + 3, g.get(1, 2, 3));
    assertEquals(new TokenGrid(new GridShape(1, 3, 4), java.util.Arrays.copyOf(ids, 12)), g.firstRows(1));
  }

  @Test
  void constructor_wrongLengthOrNegativeId_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> new TokenGrid(new GridShape(1, 2, 2), new int[3]));
    assertThrows(IllegalArgumentException.class, () -> new TokenGrid(new GridShape(1, 1, 1), new int[] {-1}));
  }
}
