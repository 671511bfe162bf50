package org.dpvideo.finetune.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress line on stderr: step, loss, epsilon so far, steps per second and the time left. On a
 * terminal it rewrites one line; otherwise (logs, CI) it prints a line about every 10% of the run or every
 * 30 seconds. Not thread-safe.
 */
public final class ProgressLine {
  private final PrintStream out;
  private final String label;
  private final long total;
  private final long start;
  private final boolean terminal;
  private final long startNanos = System.nanoTime();
  private long lastPrintNanos;
  private long lastPrintedStep = -1;
  private boolean dirty;

  /**
   * @param out where to print (stderr), or null for silence
   * @param label what runs, e.g. {@code finetune}
   * @param totalSteps planned steps
   * @param startStep the first step of this process (after a resume)
   */
  public ProgressLine(PrintStream out, String label, long totalSteps, long startStep) {
    this.out = out;
    this.label = label;
    this.total = totalSteps;
    this.start = startStep;
    this.terminal = System.console() != null;
  }

  /**
   * Reports that {@code step} steps are done.
   *
   * @param loss the loss to show (NaN to leave it out)
   * @param epsilon epsilon spent so far (NaN for non-private training)
   */
  public void update(long step, double loss, double epsilon) {
    if (out == null) {
      return;
    }
    long now = System.nanoTime();
    boolean last = step >= total;
    boolean due = terminal ? now - lastPrintNanos > 200_000_000L
        : (step - lastPrintedStep) * 10 >= total || now - lastPrintNanos > 30_000_000_000L;
    if (!due && !last) {
      return;
    }
    double seconds = (now - startNanos) / 1e9;
    double rate = (step - start) / Math.max(seconds, 1e-9);
    double left = rate > 0 ? (total - step) / rate : Double.NaN;
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "%s step %d/%d", label, step, total));
    if (!Double.isNaN(loss)) {
      s.append(String.format(Locale.ROOT, " | loss %.4f", loss));
    }
    if (!Double.isNaN(epsilon)) {
      s.append(String.format(Locale.ROOT, " | eps %.3f", epsilon));
    }
    s.append(String.format(Locale.ROOT, " | %.2f steps/s | %s left", rate, clock(left)));
    if (terminal) {
      out.print("\r" + s + "   ");
      dirty = true;
    } else {
      out.println(s);
    }
    out.flush();
    lastPrintNanos = now;
    lastPrintedStep = step;
  }

  /** Ends the line (on a terminal). */
  public void finish() {
    if (out != null && terminal && dirty) {
      out.println();
      out.flush();
      dirty = false;
    }
  }

  static String clock(double seconds) {
    if (!Double.isFinite(seconds)) {
      return "--:--";
    }
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
