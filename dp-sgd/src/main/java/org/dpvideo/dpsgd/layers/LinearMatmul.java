package org.dpvideo.dpsgd.layers;

import java.util.Arrays;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;

/**
 * The matrix product {@code x W} of a linear layer, with a backward pass that computes the input
 * gradient {@code dy W^T} and the weight gradient {@code x^T dy} as two separate SameDiff ops.
 *
 * <p>SameDiff's own matmul backward is one op with both outputs, so asking only for activation
 * gradients (the DP path) would still compute every weight gradient. With two ops, SameDiff runs only
 * the ops needed for the requested gradients: the DP path skips {@code x^T dy}, which the per-sample
 * engine computes per unit instead. Forward and gradients are those of {@link Mmul}. Internal to the
 * vocabulary; public only because SameDiff instantiates ops by reflection.
 */
public final class LinearMatmul extends Mmul {
  /** The op name SameDiff records (it runs the native {@code matmul} kernel). */
  static final String NAME = "dpvideo_linear_matmul";
  /** The native {@code matmul} kernel's hash. */
  static final long HASH = new Mmul().opHash();

  /** For SameDiff's reflection only. */
  public LinearMatmul() {
    super();
  }

  LinearMatmul(SameDiff sameDiff, SDVariable x, SDVariable weight) {
    super(sameDiff, x, weight);
  }

  @Override
  public String opName() {
    return NAME;
  }

  /** The native kernel's descriptor (argument counts), which the native library knows by its own name. */
  @Override
  public org.nd4j.linalg.api.ops.CustomOpDescriptor getDescriptor() {
    return org.nd4j.linalg.factory.Nd4j.getExecutioner().getCustomOperations().get("matmul");
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
    SDVariable dy = gradients.get(0);
    SDVariable dx = sameDiff.mmul(dy, rarg(), false, true, false);
    SDVariable dw = sameDiff.mmul(larg(), dy, true, false, false);
    return Arrays.asList(dx, dw);
  }
}
