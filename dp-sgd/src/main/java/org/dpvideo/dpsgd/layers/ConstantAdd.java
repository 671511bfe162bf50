package org.dpvideo.dpsgd.layers;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.CustomOpDescriptor;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code x + c} where c is a constant (an attention mask) broadcast to x's shape: the backward pass
 * is a copy of the incoming gradient for x and nothing for c. SameDiff's own add backward always computes the
 * broadcast operand's gradient too (a reduction over every batch and head for a {@code [T, T]} mask).
 * Requires x to have the full output shape. Internal to the vocabulary; public only because SameDiff
 * instantiates ops by reflection.
 */
public final class ConstantAdd extends AddOp {
  static final String NAME = "dpvideo_constant_add";
  static final long HASH = new AddOp().opHash();

  /** For SameDiff's reflection only. */
  public ConstantAdd() {
    super();
  }

  ConstantAdd(SameDiff sameDiff, SDVariable x, SDVariable constant) {
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
    // A copy, not the incoming variable itself: SameDiff renames a gradient variable shared by two inputs.
    return Arrays.asList(sameDiff.identity(gradients.get(0)), sameDiff.zerosLike(arg(1)));
  }
}
