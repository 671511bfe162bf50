package org.dpvideo.dpsgd.layers;

import java.util.Arrays;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.shape.Gather;

/**
 * The row lookup {@code table[ids]} of an embedding, with a backward pass that adds the output
 * gradient into the table rows by id ({@code UnsortedSegmentSum}). SameDiff's own gather backward
 * builds a loop that overwrites repeated ids instead of adding them, takes minutes, and cannot appear
 * twice in one graph. Internal to the vocabulary; public only because SameDiff instantiates ops by
 * reflection.
 */
public final class TableGather extends Gather {
  /** The op name SameDiff records (it runs the native {@code gather} kernel). */
  static final String NAME = "dpvideo_table_gather";
  /** The native {@code gather} kernel's hash. */
  static final long HASH = new Gather().opHash();
  /** For SameDiff's reflection only. */
  public TableGather() {
    super();
  }

  TableGather(SameDiff sameDiff, SDVariable table, SDVariable ids) {
    super(sameDiff, table, ids, 0);
  }

  /** Nothing beyond the integer argument (the axis), which SameDiff copies on its own. */
  @Override
  public java.util.Map<String, Object> propertiesForFunction() {
    return new java.util.HashMap<>();
  }

  @Override
  public String opName() {
    return NAME;
  }

  /** The native kernel's descriptor (argument counts), which the native library knows by its own name. */
  @Override
  public org.nd4j.linalg.api.ops.CustomOpDescriptor getDescriptor() {
    return org.nd4j.linalg.factory.Nd4j.getExecutioner().getCustomOperations().get("gather");
  }

  @Override
  public int getNumOutputs() {
    return 1;
  }

  @Override
  public long opHash() {
    return HASH;
  }

  @Override
  public List<SDVariable> doDiff(List<SDVariable> gradients) {
    SDVariable ids = arg(1);
    SDVariable rows = sameDiff.sizeAt(arg(0), 0);
    SDVariable table = sameDiff.unsortedSegmentSum(gradients.get(0), ids, rows);
    return Arrays.asList(table, sameDiff.zerosLike(ids));
  }
}
