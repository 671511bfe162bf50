package org.dpvideo.dpsgd.audit;

import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.dpsgd.layers.LinearSpec;
import org.dpvideo.dpsgd.layers.ModelBuilder;
import org.dpvideo.dpsgd.layers.SequenceLosses;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The audited MLP, built from the engine's layer vocabulary: {@code d -> h -> h -> K} with tanh, and
 * the per-example loss {@code w_e * CE_e + <x_e, W_probe>}.
 * <ul>
 *   <li>{@code w_e} (placeholder {@value #WEIGHTS}) is 1 for a data row or an included input canary and
 *       0 for an inert unit (an excluded canary, or a white-box canary), so those contribute no gradient
 *       to the classifier;</li>
 *   <li>the probe (white-box only) is a bias-free linear layer {@value #PROBE} from the canary input
 *       (placeholder {@value #CANARY_INPUT}) to one output, added to the loss. Its per-unit gradient is
 *       exactly {@code x_e}: zero for data rows, the chosen canary gradient for a canary. It is a trained
 *       parameter like any other, so the canary gradients go through the real per-unit norms, clipping,
 *       noise and optimizer.</li>
 * </ul>
 */
final class AuditMlp {
  static final String FEATURES = "features";
  static final String LABELS = "labels";
  static final String WEIGHTS = "weights";
  static final String CANARY_INPUT = "canary_input";
  static final String PROBE = "audit_probe";
  static final String PROBE_WEIGHT = PROBE + ".weight";

  final DpModel model;
  final String logits;
  final String perExampleLoss;
  final int probeDimension;

  private AuditMlp(DpModel model, String logits, int probeDimension) {
    this.model = model;
    this.logits = logits;
    this.perExampleLoss = model.perExampleLoss();
    this.probeDimension = probeDimension;
  }

  /**
   * @param probeDimension the canary input's width, or 0 for no probe (black-box)
   */
  static AuditMlp build(int features, int classes, int hidden, int probeDimension, long initSeed) {
    ModelBuilder b = ModelBuilder.create(initSeed);
    SameDiff sd = b.sameDiff();
    SDVariable x = b.examplePlaceholder(FEATURES, DataType.FLOAT, features);
    SDVariable y = b.examplePlaceholder(LABELS, DataType.INT);
    SDVariable w = b.examplePlaceholder(WEIGHTS, DataType.FLOAT);
    SDVariable h = sd.math.tanh(b.linear("hidden1", x, features, hidden));
    h = sd.math.tanh(b.linear("hidden2", h, hidden, hidden));
    SDVariable logits = b.linear("out", h, hidden, classes);
    SDVariable loss = SequenceLosses.crossEntropy(sd, logits, y, classes).mul(sd.reshape(w, -1));
    if (probeDimension > 0) {
      SDVariable c = b.examplePlaceholder(CANARY_INPUT, DataType.FLOAT, probeDimension);
      SDVariable probe = b.linear(PROBE, c, LinearSpec.of(probeDimension, 1).withoutBias().withInitStd(0));
      loss = loss.add(sd.reshape(probe, -1));
    }
    b.perExampleLoss(loss);
    DpModel model = b.build();
    model.parameters().trainOnly(name -> true);
    return new AuditMlp(model, logits.name(), probeDimension);
  }
}
