package org.dpvideo.dpsgd.memory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.internal.memory.AbstractMemoryMgr;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A step-scoped pool of native buffers: every array allocated between two {@link #recycle()} calls
 * stays valid until the next {@code recycle()}, which returns all of them to the pool at once.
 * Buffers are matched by data type and length, so a step with the same shapes as the previous one
 * allocates nothing new. Arrays come back uninitialised (callers overwrite them).
 *
 * <p>It is also a SameDiff {@code SessionMemMgr}: installed into a session it serves every op output
 * of a forward/backward call, and it ignores the session's early {@code release} calls, so outputs
 * handed to the caller stay valid until the caller recycles (after it has read them).
 *
 * <p>Idle buffers beyond {@code maxIdleBytes} are freed, least recently used length first, so a run
 * whose batch sizes vary (Poisson sampling) does not keep one set of buffers per size forever.
 *
 * <p>Not thread-safe: one arena per model and thread.
 */
public final class StepArena extends AbstractMemoryMgr {
  private record Key(DataType type, long length) {}

  /** Free buffers by key; access order gives least recently used first. */
  private final LinkedHashMap<Key, ArrayDeque<DataBuffer>> free = new LinkedHashMap<>(16, 0.75f, true);
  private final List<DataBuffer> inUse = new ArrayList<>();
  private final long maxIdleBytes;
  private long idleBytes;
  private long inUseBytes;
  private long peakInUseBytes;
  private long freshAllocations;
  private long reusedAllocations;
  private boolean closed;

  /**
   * @param maxIdleBytes how many bytes of idle buffers to keep between steps, &gt;= 0
   */
  public StepArena(long maxIdleBytes) {
    if (maxIdleBytes < 0) {
      throw new IllegalArgumentException("maxIdleBytes must be >= 0, got " + maxIdleBytes);
    }
    this.maxIdleBytes = maxIdleBytes;
  }

  @Override
  public INDArray allocate(boolean detached, DataType dataType, long... shape) {
    return allocate(dataType, 'c', shape);
  }

  @Override
  public INDArray allocate(boolean detached, LongShapeDescriptor descriptor) {
    if (descriptor.isEmpty()) {
      return Nd4j.create(descriptor);
    }
    return allocate(descriptor.dataType(), descriptor.getOrder(), descriptor.getShape());
  }

  /**
   * An uninitialised array of the given type, order ('c' or 'f') and shape, valid until the next
   * {@link #recycle()}.
   */
  public INDArray allocate(DataType dataType, char order, long... shape) {
    if (closed) {
      throw new IllegalStateException("this arena was closed; create a new one");
    }
    long length = 1;
    for (long s : shape) {
      if (s < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + java.util.Arrays.toString(shape));
      }
      length *= s;
    }
    if (length == 0) {
      return Nd4j.create(dataType, shape);
    }
    Key key = new Key(dataType, length);
    ArrayDeque<DataBuffer> q = free.get(key);
    DataBuffer buffer = q == null ? null : q.poll();
    long bytes = length * dataType.width();
    if (buffer == null) {
      buffer = Nd4j.createBufferDetached(new long[] {length}, dataType);
      freshAllocations++;
    } else {
      idleBytes -= bytes;
      reusedAllocations++;
    }
    inUse.add(buffer);
    inUseBytes += bytes;
    peakInUseBytes = Math.max(peakInUseBytes, inUseBytes);
    if (shape.length == 0) {
      return Nd4j.create(buffer, new long[0], new long[0], 0, 'c', dataType);
    }
    return Nd4j.create(buffer, shape, Nd4j.getStrides(shape, order), 0, order, dataType);
  }

  /** An uninitialised float array in 'c' order. */
  public INDArray floats(long... shape) {
    return allocate(DataType.FLOAT, 'c', shape);
  }

  /** Ignored: buffers go back to the pool only in {@link #recycle()}, so outputs stay valid. */
  @Override
  public void release(INDArray array) {
    // Intentionally empty; see the class comment.
  }

  /** Returns every buffer handed out since the last call to the pool; their arrays become invalid. */
  public void recycle() {
    for (DataBuffer b : inUse) {
      Key key = new Key(b.dataType(), b.length());
      free.computeIfAbsent(key, k -> new ArrayDeque<>()).add(b);
      idleBytes += b.length() * b.dataType().width();
    }
    inUse.clear();
    inUseBytes = 0;
    Iterator<Map.Entry<Key, ArrayDeque<DataBuffer>>> it = free.entrySet().iterator();
    while (idleBytes > maxIdleBytes && it.hasNext()) {
      Map.Entry<Key, ArrayDeque<DataBuffer>> e = it.next();
      for (DataBuffer b : e.getValue()) {
        idleBytes -= b.length() * b.dataType().width();
        if (b.closeable()) {
          b.close();
        }
      }
      it.remove();
    }
  }

  /** The most bytes handed out between two recycles so far. */
  public long peakInUseBytes() {
    return peakInUseBytes;
  }

  /** Bytes currently handed out plus bytes idle in the pool. */
  public long retainedBytes() {
    return inUseBytes + idleBytes;
  }

  /** How many allocations needed a new buffer, and how many reused one (for benchmarks and tests). */
  public long[] allocationCounts() {
    return new long[] {freshAllocations, reusedAllocations};
  }

  /** Frees every buffer; the arena cannot be used afterwards. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    recycle();
    for (ArrayDeque<DataBuffer> q : free.values()) {
      for (DataBuffer b : q) {
        if (b.closeable()) {
          b.close();
        }
      }
    }
    free.clear();
    idleBytes = 0;
    closed = true;
  }
}
