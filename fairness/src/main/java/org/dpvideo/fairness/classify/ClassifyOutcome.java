package org.dpvideo.fairness.classify;

import java.util.Map;
import java.util.Objects;

/**
 * The result of a {@link ClassifyJob}.
 *
 * @param json the output object (snake_case keys; NaN values are written as JSON null): at least
 *     {@code accuracy}, {@code loss}, {@code accuracy_by_group} and {@code loss_by_group} (group value →
 *     figure), {@code count_by_group}, {@code epsilon}, {@code delta}, {@code accountant}, {@code misalignment};
 *     {@code privacy} for private methods, {@code tuning} for sweeps, {@code privacy_cost} with a reference
 * @param evaluation the final model's test evaluation
 * @param reference the non-private reference's test evaluation, or null
 * @param tuningStatement the sweep's statement, or null without a sweep
 */
public record ClassifyOutcome(Map<String, Object> json, ClassifierEvaluation evaluation, ClassifierEvaluation reference,
    String tuningStatement) {
  /** Validates. */
  public ClassifyOutcome {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(evaluation, "evaluation");
  }
}
