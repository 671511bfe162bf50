package org.dpvideo.dpsgd.layers;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.dpvideo.dpsgd.memory.StepArena;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A graph built from the layer vocabulary, with its parameters and layer sites. Built by
 * {@link ModelBuilder#build()}.
 *
 * <p>Three ways to run it: {@link #output} for inference (returns copies; no engine involved),
 * and {@link #backward} (one forward and backward pass returning requested activations and
 * activation or parameter gradients), which the private and non-private steps use.
 *
 * <p>Native memory: every call serves its arrays from a {@link StepArena}, so repeated calls with
 * the same shapes allocate nothing new. Not thread-safe: one thread at a time.
 */
public final class DpModel implements AutoCloseable {
  private static final Object QUIET_LOCK = new Object();
  private static final long IDLE_BYTES = 8L << 30;

  private final SameDiff sd;
  private final ParameterStore store;
  private final List<LayerSite> sites;
  private final List<String> examplePlaceholders;
  private final List<String> sharedPlaceholders;
  private final String perExampleLoss;
  private final String totalLoss;
  private final StepArena trainArena = new StepArena(IDLE_BYTES);
  private final StepArena inferenceArena = new StepArena(IDLE_BYTES / 4);
  private SameDiff gradFunction;
  private GradientTape openTape;
  private boolean closed;

  DpModel(SameDiff sd, ParameterStore store, List<LayerSite> sites, List<String> examplePlaceholders,
      List<String> sharedPlaceholders, String perExampleLoss, String totalLoss) {
    this.sd = sd;
    this.store = store;
    this.sites = List.copyOf(sites);
    this.examplePlaceholders = List.copyOf(examplePlaceholders);
    this.sharedPlaceholders = List.copyOf(sharedPlaceholders);
    this.perExampleLoss = perExampleLoss;
    this.totalLoss = totalLoss;
    sd.setLossVariables(totalLoss);
  }

  /** The SameDiff graph (do not add variables to it after building). */
  public SameDiff sameDiff() {
    return sd;
  }

  /** The parameters. */
  public ParameterStore parameters() {
    return store;
  }

  /** The layer sites in build order. */
  public List<LayerSite> sites() {
    return sites;
  }

  /** Placeholders with one entry per example (batch first), in declaration order. */
  public List<String> examplePlaceholders() {
    return examplePlaceholders;
  }

  /** Placeholders shared by a whole batch. */
  public List<String> sharedPlaceholders() {
    return sharedPlaceholders;
  }

  /** The per-example loss vector's variable name. */
  public String perExampleLoss() {
    return perExampleLoss;
  }

  /** The total loss (sum of the per-example losses). */
  public String totalLoss() {
    return totalLoss;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this model was closed");
    }
  }

  /**
   * Runs the forward pass and returns copies of the requested variables (inference, evaluation,
   * sampling). Does not touch gradients or the privacy engine.
   */
  public Map<String, INDArray> output(Map<String, INDArray> placeholders, String... outputs) {
    checkOpen();
    install(sd, inferenceArena);
    try {
      Map<String, INDArray> raw = sd.output(placeholders, outputs);
      Map<String, INDArray> copies = new HashMap<>();
      for (var e : raw.entrySet()) {
        copies.put(e.getKey(), e.getValue().dup());
      }
      return copies;
    } finally {
      inferenceArena.recycle();
    }
  }

  /**
   * One forward and backward pass of the total loss. The returned tape holds the requested
   * activations ({@code outputs}) and gradients ({@code gradientsOf}: activation or parameter
   * names); its arrays stay valid until it is closed. Only one tape may be open at a time.
   *
   * @throws IllegalStateException if a tape is still open
   * @throws IllegalArgumentException if a requested gradient does not reach the loss
   */
  public GradientTape backward(Map<String, INDArray> placeholders, Collection<String> outputs,
      Collection<String> gradientsOf) {
    checkOpen();
    if (openTape != null) {
      throw new IllegalStateException("close the previous GradientTape before recording another");
    }
    SameDiff grad = gradFunction();
    install(grad, trainArena);
    List<String> outs = new ArrayList<>(new LinkedHashSet<>(outputs));
    List<String> grads = new ArrayList<>(new LinkedHashSet<>(gradientsOf));
    OutAndGrad og;
    try {
      og = sd.calculateGradientsAndOutputs(placeholders, outs, grads);
    } catch (RuntimeException e) {
      trainArena.recycle();
      throw e;
    }
    for (String g : grads) {
      if (og.getGradients().get(g) == null) {
        trainArena.recycle();
        throw new IllegalArgumentException("variable '" + g + "' has no gradient: it does not affect the loss "
            + totalLoss + "; remove the layer or connect it to the loss");
      }
    }
    openTape = new GradientTape(this, og.getOutputs(), og.getGradients());
    return openTape;
  }

  void closeTape(GradientTape tape) {
    if (openTape == tape) {
      openTape = null;
      trainArena.recycle();
    }
  }

  /** The training arena, for engine-side scratch arrays that live as long as the open tape. */
  public StepArena arena() {
    return trainArena;
  }

  /** The most bytes the training arena handed out in one step so far. */
  public long peakStepBytes() {
    return trainArena.peakInUseBytes();
  }

  private SameDiff gradFunction() {
    if (gradFunction == null) {
      synchronized (QUIET_LOCK) {
        // SameDiff prints a line per differentiated op to stdout; keep CLI output clean.
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
          sd.createGradFunction();
        } finally {
          System.setOut(out);
        }
      }
      gradFunction = Objects.requireNonNull(sd.getFunction("grad"), "SameDiff created no gradient function");
    }
    return gradFunction;
  }

  private static void install(SameDiff graph, StepArena arena) {
    long thread = Thread.currentThread().getId();
    InferenceSession session = graph.getSessions().get(thread);
    if (session == null) {
      session = new InferenceSession(graph);
      graph.getSessions().put(thread, session);
    }
    if (session.getMmgr() != arena) {
      session.setMmgr(arena);
    }
  }

  /** Frees the native memory held for reuse. */
  @Override
  public void close() {
    closed = true;
    trainArena.close();
    inferenceArena.close();
  }
}
