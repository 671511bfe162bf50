package org.dpvideo.distributed;

import org.apache.spark.Partitioner;

/**
 * Partitions privacy units by id into contiguous ranges: unit u of N goes to partition
 * {@code floor(u * P / N)}. Keys are unit ids, so every example of a unit lands in the partition of its
 * unit (the condition of the sensitivity argument), and each partition samples a contiguous id range
 * with one keystream. Immutable.
 */
final class UnitPartitioner extends Partitioner {
  private static final long serialVersionUID = 1L;
  private final int partitions;
  private final int units;

  UnitPartitioner(int partitions, int units) {
    if (partitions < 1 || units < 1) {
      throw new IllegalArgumentException("need >= 1 partition and >= 1 unit, got " + partitions + " and " + units);
    }
    this.partitions = partitions;
    this.units = units;
  }

  @Override
  public int numPartitions() {
    return partitions;
  }

  @Override
  public int getPartition(Object key) {
    int unit = (Integer) key;
    if (unit < 0 || unit >= units) {
      throw new IllegalArgumentException("unit id " + unit + " is outside 0.." + (units - 1));
    }
    return (int) ((long) unit * partitions / units);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnitPartitioner p && p.partitions == partitions && p.units == units;
  }

  @Override
  public int hashCode() {
    return 31 * partitions + units;
  }
}
