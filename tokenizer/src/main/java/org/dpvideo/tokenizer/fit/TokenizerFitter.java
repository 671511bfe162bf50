package org.dpvideo.tokenizer.fit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.dpvideo.tokenizer.TokenizerKind;
import org.dpvideo.tokenizer.VideoTokenizer;
import org.dpvideo.tokenizer.dataset.Manifest;
import org.dpvideo.tokenizer.dataset.ManifestRow;
import org.dpvideo.tokenizer.dataset.Split;
import org.dpvideo.tokenizer.lfq.LfqConfig;
import org.dpvideo.tokenizer.lfq.LfqTrainer;
import org.dpvideo.tokenizer.video.ClipSpec;
import org.dpvideo.tokenizer.vq.PatchVqTokenizer;
import org.dpvideo.tokenizer.vq.VqConfig;

/**
 * Fits a video tokenizer on the {@code train} rows of a manifest of public footage. A manifest with any
 * {@code private} row is refused before any file is read: a VQ codebook is an average of training
 * patches and an LFQ decoder memorises its training footage, so a tokenizer fitted on private clips
 * would leak them into every model and sample made with it, outside any privacy accounting.
 *
 * <p>Stateless and thread-safe.
 */
public final class TokenizerFitter {
  /** Why fitting on private rows is refused (used in the error message). */
  public static final String PRIVATE_REFUSAL = "A tokenizer is fitted without differential privacy: a VQ"
      + " codebook is an average of training patches and an LFQ decoder memorises its training footage, so"
      + " fitting on private clips would leak them into every model and sample that uses the tokenizer.";

  /**
   * What to fit.
   *
   * @param kind VQ or LFQ
   * @param spec the clip spec clips are sampled at (frames must be {@code 1 + k * temporalPatch})
   * @param vq settings when {@code kind == VQ}
   * @param lfq settings when {@code kind == LFQ} (training steps and time budget live here)
   * @param clipsPerVideo windows cut from each video, at least 1
   * @param maxVideos at most this many training videos (evenly spread over the train rows), at least 1
   */
  public record FitPlan(TokenizerKind kind, ClipSpec spec, VqConfig vq, LfqConfig lfq, int clipsPerVideo,
      int maxVideos) {
    /** Validates. */
    public FitPlan {
      java.util.Objects.requireNonNull(kind, "kind");
      java.util.Objects.requireNonNull(spec, "spec");
      java.util.Objects.requireNonNull(vq, "vq");
      java.util.Objects.requireNonNull(lfq, "lfq");
      if (clipsPerVideo < 1 || maxVideos < 1) {
        throw new IllegalArgumentException("clipsPerVideo and maxVideos must be >= 1, got " + clipsPerVideo
            + " and " + maxVideos + ".");
      }
    }

    /** The demo's plan for {@code kind}: demo spec, default settings, one clip per video, 400 videos. */
    public static FitPlan demo(TokenizerKind kind) {
      return new FitPlan(kind, ClipSpec.DEMO, VqConfig.DEFAULT, LfqConfig.DEFAULT, 1, 400);
    }

    /** With another LFQ configuration. */
    public FitPlan withLfq(LfqConfig c) {
      return new FitPlan(kind, spec, vq, c, clipsPerVideo, maxVideos);
    }

    /** With another VQ configuration. */
    public FitPlan withVq(VqConfig c) {
      return new FitPlan(kind, spec, c, lfq, clipsPerVideo, maxVideos);
    }

    /** With another spec. */
    public FitPlan withSpec(ClipSpec s) {
      return new FitPlan(kind, s, vq, lfq, clipsPerVideo, maxVideos);
    }

    /** With another video cap and windows per video. */
    public FitPlan withSampling(int perVideo, int videos) {
      return new FitPlan(kind, spec, vq, lfq, perVideo, videos);
    }
  }

  private TokenizerFitter() {}

  /**
   * Fits a tokenizer as planned on {@code manifest}'s train rows.
   *
   * @param log receives progress lines
   * @throws IllegalArgumentException when the manifest has private rows or no train rows
   */
  public static VideoTokenizer fit(Manifest manifest, FitPlan plan, Consumer<String> log) {
    manifest.requireAllPublic("to fit a video tokenizer", PRIVATE_REFUSAL);
    List<ManifestRow> train = manifest.rows(Split.TRAIN);
    if (train.isEmpty()) {
      throw new IllegalArgumentException("manifest " + manifest.source() + " has no 'train' rows to fit a"
          + " tokenizer on; mark some rows split=train.");
    }
    List<ManifestRow> chosen = evenlySpread(train, plan.maxVideos());
    log.accept("sampling " + chosen.size() + " training videos x " + plan.clipsPerVideo() + " clip(s) at "
        + plan.spec().key());
    ClipSet clips = ClipSet.sample(chosen, plan.spec(), plan.clipsPerVideo(), done -> {
      if (done % 100 == 0) {
        log.accept("  decoded " + done + "/" + chosen.size() + " videos");
      }
    });
    return switch (plan.kind()) {
      case VQ -> {
        log.accept("fitting VQ codebook: " + plan.vq().codebookSize() + " codes, k-means++ + "
            + plan.vq().iterations() + " Lloyd iterations on " + clips.size() + " clips");
        yield PatchVqTokenizer.fit(clips.clips(), plan.vq());
      }
      case LFQ -> {
        log.accept("training LFQ autoencoder: " + plan.lfq().vocabSize() + " codes, up to "
            + plan.lfq().maxSteps() + " steps or " + plan.lfq().timeBudget().toSeconds() + " s on "
            + clips.size() + " clips");
        yield LfqTrainer.fit(clips.clips(), plan.lfq(), p -> {
          if (p.step() % 100 == 0) {
            log.accept(String.format(java.util.Locale.ROOT, "  step %d (%.0f s): loss %.4f, batch PSNR %.2f dB",
                p.step(), p.seconds(), p.loss(), p.psnrDb()));
          }
        });
      }
    };
  }

  /** At most {@code n} rows spread evenly over {@code rows}, in order. */
  static List<ManifestRow> evenlySpread(List<ManifestRow> rows, int n) {
    if (rows.size() <= n) {
      return rows;
    }
    List<ManifestRow> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(rows.get((int) ((long) i * rows.size() / n)));
    }
    return out;
  }
}
