package org.dpvideo.dpsgd.layers;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.CustomOpDescriptor;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code y = x + b} of a linear layer ({@code x: [rows, out]}, {@code b: [out]}), whose backward pass
 * is two independent ops: {@code dx = dy} (a copy) and {@code db = 1^T dy} (a product with a column of
 * ones). SameDiff's own add backward computes both in one op, so the private path, which never asks
 * for {@code db}, would still pay for the column sums. (The product also avoids SameDiff's legacy
 * {@code sum(0)}, which fails when the batch has one row.) Internal to the vocabulary; public only
 * because SameDiff instantiates ops by reflection.
 */
public final class BiasAdd extends AddOp {
  static final String NAME = "dpvideo_bias_add";
  static final long HASH = new AddOp().opHash();

  /** For SameDiff's reflection only. */
  public BiasAdd() {
    super();
  }

  BiasAdd(SameDiff sameDiff, SDVariable x, SDVariable bias) {
    super(sameDiff, x, bias);
  }

  @Override
  public String opName() {
    return NAME;
  }

  @Override
  public long opHash() {
    return HASH;
  }

  @Override
  public CustomOpDescriptor getDescriptor() {
    return Nd4j.getExecutioner().getCustomOperations().get("add");
  }

  /** A custom op, so that SameDiff's graph copy looks the class up by name instead of the legacy op table. */
  @Override
  public org.nd4j.linalg.api.ops.Op.Type opType() {
    return org.nd4j.linalg.api.ops.Op.Type.CUSTOM;
  }

  @Override
  public int getNumOutputs() {
    return 1;
  }

  @Override
  public Map<String, Object> propertiesForFunction() {
    return new HashMap<>();
  }

  @Override
  public List<SDVariable> doDiff(List<SDVariable> gradients) {
    SDVariable dy = gradients.get(0);
    SDVariable ones = sameDiff.onesLike(dy.get(SDIndex.all(), SDIndex.interval(0, 1)));
    SDVariable db = sameDiff.mmul(ones, dy, true, false, false).reshape(-1);
    // dx is a copy, not dy itself: SameDiff renames a gradient variable shared by two inputs.
    return Arrays.asList(sameDiff.identity(dy), db);
  }
}
