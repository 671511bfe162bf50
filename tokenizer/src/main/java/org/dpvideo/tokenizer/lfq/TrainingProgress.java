package org.dpvideo.tokenizer.lfq;

/**
 * A snapshot of LFQ training, passed to the progress listener.
 *
 * @param step steps done
 * @param seconds wall-clock seconds since training began
 * @param loss total loss of the last step
 * @param mse reconstruction MSE of the last step (on [-1, 1] pixels)
 * @param learningRate learning rate of the last step
 */
public record TrainingProgress(int step, double seconds, double loss, double mse, double learningRate) {
  /** PSNR of the last step's reconstruction in dB ({@code mse} is on [-1, 1], i.e. 4x the [0, 1] MSE). */
  public double psnrDb() {
    return 10 * Math.log10(4.0 / Math.max(1e-12, mse));
  }
}
