package org.dpvideo.fairness.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dpvideo.dpsgd.accounting.ComposedEvent;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.GaussianEvent;
import org.dpvideo.dpsgd.accounting.PldAccountant;
import org.dpvideo.dpsgd.accounting.PoissonSampledEvent;
import org.dpvideo.dpsgd.accounting.PrivacyAccountant;
import org.dpvideo.dpsgd.accounting.SelfComposedEvent;
import org.junit.jupiter.api.Test;

class HyperparameterSweepTest {
  static final PrivacyAccountant PLD = new PldAccountant();
  static final double DELTA = 1e-5;

  /**
   * A target whose runs are DP-SGD events of {@code steps = 10 * lr-index} steps with q = 0.1 (refit: q =
   * 0.08, more data); its score is a fixed function of lr; lr = 9 fails.
   */
  static final class FakeTarget implements TuningTarget<String> {
    final boolean isPrivate;
    final List<String> discarded = new ArrayList<>();
    final List<String> trained = new ArrayList<>();
    final Map<Double, Double> scores;

    FakeTarget(boolean isPrivate, Map<Double, Double> scores) {
      this.isPrivate = isPrivate;
      this.scores = scores;
    }

    @Override
    public boolean isPrivate() {
      return isPrivate;
    }

    @Override
    public DpEvent plannedEvent(Candidate c, TuningPhase phase, double sigma) {
      int steps = (int) (20 + 10 * c.value("lr"));
      double q = phase == TuningPhase.REFIT ? 0.08 : 0.1;
      return new SelfComposedEvent(new PoissonSampledEvent(q, new GaussianEvent(sigma)), steps);
    }

    @Override
    public String train(Candidate c, TuningPhase phase, double sigma) {
      if (c.value("lr") == 9) {
        throw new IllegalStateException("diverged");
      }
      String run = phase + ":" + c.value("lr") + ":" + sigma;
      trained.add(run);
      return run;
    }

    @Override
    public DpEvent spentEvent(String run) {
      String[] p = run.split(":");
      return plannedEvent(new Candidate(Map.of("lr", Double.parseDouble(p[1]))), TuningPhase.valueOf(p[0]),
          Double.parseDouble(p[2]));
    }

    @Override
    public double score(String run) {
      return scores.getOrDefault(Double.parseDouble(run.split(":")[1]), Double.NaN);
    }

    @Override
    public void discard(String run) {
      discarded.add(run);
    }

    @Override
    public String selectionDataDescription() {
      return "a validation split";
    }

    @Override
    public boolean selectionDataPublic() {
      return false;
    }

    @Override
    public String scoreDescription() {
      return "accuracy";
    }
  }

  static SweepGrid lrs(double... v) {
    List<Double> l = new ArrayList<>();
    for (double x : v) {
      l.add(x);
    }
    return SweepGrid.of(new SweepAxis("lr", l));
  }

  @Test
  void sweep_fixedSigma_totalIsTheCompositionOfEveryCandidateAndTheRefit() {
    FakeTarget t = new FakeTarget(true, Map.of(1.0, 0.5, 2.0, 0.9, 3.0, 0.7));
    SweepResult<String> r = new HyperparameterSweep(lrs(1, 2, 3), new TuningNoise.FixedMultiplier(1.5), DELTA, PLD,
        true).run(t);
    assertEquals(2.0, r.selected().candidate().value("lr"));
    DpEvent manual = ComposedEvent.of(
        new SelfComposedEvent(new PoissonSampledEvent(0.1, new GaussianEvent(1.5)), 30),
        new SelfComposedEvent(new PoissonSampledEvent(0.1, new GaussianEvent(1.5)), 40),
        new SelfComposedEvent(new PoissonSampledEvent(0.1, new GaussianEvent(1.5)), 50),
        new SelfComposedEvent(new PoissonSampledEvent(0.08, new GaussianEvent(1.5)), 40));
    assertEquals(PLD.epsilon(manual, DELTA).epsilon(), r.totalGuarantee().orElseThrow().epsilon(), 1e-12);
    assertEquals(PLD.epsilon(new SelfComposedEvent(new PoissonSampledEvent(0.08, new GaussianEvent(1.5)), 40),
        DELTA).epsilon(), r.finalOutcome().epsilon(), 1e-12);
    assertTrue(r.totalGuarantee().orElseThrow().epsilon() > r.finalOutcome().epsilon());
    assertEquals("REFIT:2.0:1.5", r.finalRun());
    // Every candidate and the replaced winner are freed; the refit is kept.
    assertEquals(List.of("CANDIDATE:1.0:1.5", "CANDIDATE:3.0:1.5", "CANDIDATE:2.0:1.5"), t.discarded);
    assertTrue(r.statement().contains("NOT covered"), r.statement());
  }

  @Test
  void sweep_failedCandidate_isAccountedWithItsPlannedEventAndNeverSelected() {
    FakeTarget t = new FakeTarget(true, Map.of(1.0, 0.5, 9.0, 1.0));
    SweepResult<String> r = new HyperparameterSweep(lrs(1, 9), new TuningNoise.FixedMultiplier(2), DELTA, PLD, false)
        .run(t);
    assertEquals(1.0, r.selected().candidate().value("lr"));
    assertTrue(r.candidates().get(1).failed());
    assertEquals("diverged", r.candidates().get(1).failure());
    DpEvent manual = ComposedEvent.of(
        new SelfComposedEvent(new PoissonSampledEvent(0.1, new GaussianEvent(2)), 30),
        new SelfComposedEvent(new PoissonSampledEvent(0.1, new GaussianEvent(2)), 110));
    assertEquals(PLD.epsilon(manual, DELTA).epsilon(), r.totalGuarantee().orElseThrow().epsilon(), 1e-12);
    assertTrue(r.refit().isEmpty());
    assertEquals("CANDIDATE:1.0:2.0", r.finalRun());
  }

  @Test
  void sweep_tie_selectsTheFirstCandidate_andUnscorableRunsAreSkipped() {
    FakeTarget t = new FakeTarget(true, Map.of(2.0, 0.8, 3.0, 0.8));
    SweepResult<String> r = new HyperparameterSweep(lrs(1, 2, 3), new TuningNoise.FixedMultiplier(2), DELTA, PLD, false)
        .run(t);
    assertEquals(2.0, r.selected().candidate().value("lr"));
    assertTrue(Double.isNaN(r.candidates().get(0).score()));
  }

  @Test
  void sweep_epsilonPerRun_calibratesEveryRunOnItsOwn() {
    FakeTarget t = new FakeTarget(true, Map.of(1.0, 0.5, 2.0, 0.6));
    SweepResult<String> r = new HyperparameterSweep(lrs(1, 2), new TuningNoise.EpsilonPerRun(2.0), DELTA, PLD, true)
        .run(t);
    for (CandidateOutcome o : r.candidates()) {
      assertTrue(o.epsilon() <= 2.0 && o.epsilon() > 1.95, "run epsilon " + o.epsilon());
    }
    assertTrue(r.refit().orElseThrow().epsilon() <= 2.0);
    // Two candidates and a refit at about 2 each compose to well above 2.
    assertTrue(r.totalGuarantee().orElseThrow().epsilon() > 3.0);
    assertTrue(r.statement().contains("calibrated to epsilon 2"), r.statement());
  }

  @Test
  void sweep_epsilonTotal_keepsTheWholeTuningWithinTheTarget() {
    FakeTarget t = new FakeTarget(true, Map.of(1.0, 0.5, 2.0, 0.6, 3.0, 0.1));
    SweepResult<String> r = new HyperparameterSweep(lrs(1, 2, 3), new TuningNoise.EpsilonTotal(2.0), DELTA, PLD, true)
        .run(t);
    double total = r.totalGuarantee().orElseThrow().epsilon();
    assertTrue(total <= 2.0, "the whole tuning spent " + total);
    double sigma = r.candidates().get(0).noiseMultiplier();
    for (CandidateOutcome o : r.candidates()) {
      assertEquals(sigma, o.noiseMultiplier());
    }
    assertEquals(sigma, r.refit().orElseThrow().noiseMultiplier());
  }

  @Test
  void sweep_nonPrivateTarget_hasNoGuarantee_andRefusesANoisePolicy() {
    FakeTarget t = new FakeTarget(false, Map.of(1.0, 0.5));
    SweepResult<String> r = new HyperparameterSweep(lrs(1), new TuningNoise.NotPrivate(), DELTA, PLD, true).run(t);
    assertFalse(r.totalGuarantee().isPresent());
    assertTrue(r.statement().contains("not private"));
    assertThrows(IllegalArgumentException.class,
        () -> new HyperparameterSweep(lrs(1), new TuningNoise.FixedMultiplier(1), DELTA, PLD, true).run(t));
    assertThrows(IllegalArgumentException.class,
        () -> new HyperparameterSweep(lrs(1), new TuningNoise.NotPrivate(), DELTA, PLD, true)
            .run(new FakeTarget(true, Map.of())));
  }

  @Test
  void sweep_noScorableCandidate_failsWithTheReasons() {
    FakeTarget t = new FakeTarget(true, Map.of());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new HyperparameterSweep(lrs(9, 1), new TuningNoise.FixedMultiplier(1), DELTA, PLD, true).run(t));
    assertTrue(e.getMessage().contains("diverged"), e.getMessage());
  }

  @Test
  void grid_cartesianProduct_lastAxisFastest() {
    SweepGrid g = SweepGrid.of(SweepAxis.parse("lr=0.1,0.5"), SweepAxis.parse("clip=1,2,3"));
    List<Candidate> c = g.candidates();
    assertEquals(6, c.size());
    assertEquals(Map.of("lr", 0.1, "clip", 1.0), c.get(0).values());
    assertEquals(Map.of("lr", 0.1, "clip", 2.0), c.get(1).values());
    assertEquals(Map.of("lr", 0.5, "clip", 3.0), c.get(5).values());
    assertEquals(1, new SweepGrid(List.of()).candidates().size());
    assertEquals("lr=0.1,0.5 clip=1,2,3", g.toString());
  }

  @Test
  void axis_badText_isRefusedWithTheFix() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SweepAxis.parse("lr"))
        .getMessage().contains("NAME=V1,V2"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SweepAxis.parse("lr=0.1,fast,x"))
        .getMessage().contains("'fast', 'x'"));
    assertThrows(IllegalArgumentException.class, () -> SweepAxis.parse("lr=0.1,0.1"));
    assertThrows(IllegalArgumentException.class, () -> SweepGrid.of(SweepAxis.parse("lr=1"), SweepAxis.parse("lr=2")));
  }
}
