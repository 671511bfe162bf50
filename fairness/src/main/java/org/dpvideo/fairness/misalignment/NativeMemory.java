package org.dpvideo.fairness.misalignment;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Frees temporary ND4J arrays at once (ND4J otherwise frees native buffers only at GC). */
final class NativeMemory {
  private NativeMemory() {}

  /** Closes each owned, non-view array; null and view arrays are skipped. */
  static void close(INDArray... arrays) {
    for (INDArray a : arrays) {
      if (a != null && !a.wasClosed() && a.closeable()) {
        a.close();
      }
    }
  }

  /** Closes {@code maybeCopy} when it is a different array from {@code original} (e.g. a cast copy). */
  static void closeIfCopy(INDArray maybeCopy, INDArray original) {
    if (maybeCopy != original) {
      close(maybeCopy);
    }
  }
}
