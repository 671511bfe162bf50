package org.dpvideo.dpsgd.dataparallel;

import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.clipping.ClippingState;
import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.dpsgd.noise.RandomnessLabel;
import org.dpvideo.dpsgd.train.StepReport;

/**
 * A private trainer whose steps run on several workers; the counterpart of
 * {@link org.dpvideo.dpsgd.train.DpTrainer} with the same step semantics (one event per step, never past
 * the planned steps, nothing released on a non-finite gradient). Not thread-safe; close it to release
 * the cluster resources.
 */
public interface DataParallelTrainer extends AutoCloseable {
  /** Takes one private step across the workers and applies it on the driver's model. */
  StepReport step();

  /** Steps taken. */
  long stepsTaken();

  /** Everything released so far, as one event for an accountant. */
  DpEvent spent();

  /** The clipping state after the last step. */
  ClippingState clippingState();

  /** Where the randomness came from. */
  RandomnessLabel randomness();

  /** The driver's model, holding the current parameters. */
  DpModel model();

  @Override
  void close();
}
