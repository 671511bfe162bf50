package org.dpvideo.dpsgd.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DpEventJsonTest {

  @Test
  void everyEventKind_roundTrips_toAnEqualEvent() {
    DpEvent event = new ComposedEvent(List.of(
        DpEvent.dpSgd(0.01, 1.1, 1000),
        new GaussianEvent(2.0),
        new SelfComposedEvent(new PoissonSampledEvent(0.5, ComposedEvent.of(new GaussianEvent(3.0))), 7),
        new ComposedEvent(List.of())));
    String json = DpEventJson.toJson(event);
    assertEquals(event, DpEventJson.fromJson(json));
  }

  @Test
  void gaussian_jsonForm_usesSnakeCaseAndType() {
    assertEquals("{\"type\":\"gaussian\",\"noise_multiplier\":1.5}", DpEventJson.toJson(new GaussianEvent(1.5)));
  }

  @Test
  void unknownType_isRejected_withTheAllowedTypes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DpEventJson.fromJson("{\"type\":\"laplace\",\"noise_multiplier\":1}"));
    assertTrue(e.getMessage().contains("poisson_sampled"), e.getMessage());
  }

  @Test
  void invalidValueInJson_isRejected_withTheConstraint() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DpEventJson.fromJson("{\"type\":\"poisson_sampled\",\"sampling_probability\":1.5,"
            + "\"event\":{\"type\":\"gaussian\",\"noise_multiplier\":1}}"));
    assertTrue(e.getMessage().contains("(0, 1]"), e.getMessage());
  }

  @Test
  void missingField_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> DpEventJson.fromJson("{\"type\":\"gaussian\"}"));
  }

  @Test
  void noiseMultiplier_zeroOrNan_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> new GaussianEvent(0));
    assertThrows(IllegalArgumentException.class, () -> new GaussianEvent(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> new GaussianEvent(Double.POSITIVE_INFINITY));
  }

  @Test
  void selfComposedCount_zero_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> new SelfComposedEvent(new GaussianEvent(1), 0));
  }
}
