package org.dpvideo.finetune.checkpoint;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A flat binary form of named float arrays: count, then per array its name (UTF), rank, shape and the
 * float32 values in C order. Stateless.
 */
final class NamedArrays {
  private NamedArrays() {}

  static void write(DataOutputStream out, Map<String, INDArray> arrays) throws IOException {
    out.writeInt(arrays.size());
    for (var e : arrays.entrySet()) {
      INDArray a = e.getValue();
      out.writeUTF(e.getKey());
      long[] shape = a.shape();
      out.writeInt(shape.length);
      for (long s : shape) {
        out.writeLong(s);
      }
      float[] v = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
      for (float f : v) {
        out.writeFloat(f);
      }
    }
  }

  static Map<String, INDArray> read(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 1_000_000) {
      throw new IOException("implausible array count " + n);
    }
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String name = in.readUTF();
      int rank = in.readInt();
      if (rank < 0 || rank > 8) {
        throw new IOException("implausible rank " + rank + " of array " + name);
      }
      long[] shape = new long[rank];
      long len = 1;
      for (int d = 0; d < rank; d++) {
        shape[d] = in.readLong();
        len *= shape[d];
      }
      if (len < 0 || len > Integer.MAX_VALUE) {
        throw new IOException("implausible size " + len + " of array " + name);
      }
      float[] v = new float[(int) len];
      for (int j = 0; j < v.length; j++) {
        v[j] = in.readFloat();
      }
      out.put(name, Nd4j.create(v, shape, 'c'));
    }
    return out;
  }
}
