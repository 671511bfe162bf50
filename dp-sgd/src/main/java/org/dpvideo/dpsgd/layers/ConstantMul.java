package org.dpvideo.dpsgd.layers;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.CustomOpDescriptor;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code x * c} where c is data, not a parameter (a one-hot target mask, per-position loss weights),
 * broadcast to x's shape: the backward pass is {@code dy * c} for x and nothing for c. SameDiff's own
 * multiply backward also computes c's gradient. Requires x to have the full output shape. Internal to
 * the vocabulary; public only because SameDiff instantiates ops by reflection.
 */
public final class ConstantMul extends MulOp {
  static final String NAME = "dpvideo_constant_mul";
  static final long HASH = new MulOp().opHash();

  /** For SameDiff's reflection only. */
  public ConstantMul() {
    super();
  }

  ConstantMul(SameDiff sameDiff, SDVariable x, SDVariable constant) {
    super(sameDiff, x, constant);
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
    return Nd4j.getExecutioner().getCustomOperations().get("multiply");
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
    SDVariable dx = new ConstantMul(sameDiff, gradients.get(0), arg(1)).outputVariable();
    return Arrays.asList(dx, sameDiff.zerosLike(arg(1)));
  }
}
