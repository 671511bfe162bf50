package org.dpvideo.fairness.misalignment;

import java.util.Objects;
import org.dpvideo.fairness.group.GroupKey;

/**
 * One group's alignment figures at a logged step (the columns of the reference code's angle table,
 * fairness spec §1.4.4, plus Δ_k). Cosines are NaN when a vector is zero or undefined (group absent from
 * the batch, or no full-data gradient given), never 0.
 *
 * @param group the group
 * @param batchCount units of the group in the batch (n_k)
 * @param cosFullVsGroupBatch cos(g_{D_k}, g_{B_k})
 * @param cosFullVsClippedGroupBatch cos(g_{D_k}, ḡ_{B_k})
 * @param cosFullVsBatch cos(g_{D_k}, g_B)
 * @param cosFullVsClippedBatch cos(g_{D_k}, ḡ_B)
 * @param fullNorm ‖g_{D_k}‖
 * @param groupBatchNorm ‖g_{B_k}‖
 * @param clippedGroupBatchNorm ‖ḡ_{B_k}‖
 * @param directionError Δ_k = ‖ḡ_B‖(cos(g_{D_k}, g_B) − cos(g_{D_k}, ḡ_B)) (Prop. 3)
 * @param dotFullBatch ⟨g_{D_k}, g_B⟩
 * @param dotFullClippedBatch ⟨g_{D_k}, ḡ_B⟩
 */
public record GroupAlignment(GroupKey group, int batchCount, double cosFullVsGroupBatch,
    double cosFullVsClippedGroupBatch, double cosFullVsBatch, double cosFullVsClippedBatch, double fullNorm,
    double groupBatchNorm, double clippedGroupBatchNorm, double directionError, double dotFullBatch,
    double dotFullClippedBatch) {

  /** Validates. */
  public GroupAlignment {
    Objects.requireNonNull(group, "group");
  }
}
