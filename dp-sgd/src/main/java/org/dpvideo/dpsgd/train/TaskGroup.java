package org.dpvideo.dpsgd.train;

import java.util.Objects;
import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.dpsgd.sampling.PrivacyUnits;
import org.dpvideo.dpsgd.step.BatchAssembler;

/**
 * One task group of a multi-group private run (examples of one task and one sequence length): its graph
 * over the run's shared {@link org.dpvideo.dpsgd.layers.ParameterStore}, its privacy configuration, its
 * privacy units and how its micro-batches are assembled.
 *
 * <p>The config's {@link DpConfig#samplingRate()} is this group's Poisson rate q_g over its
 * {@link PrivacyUnits#count()} units N_g, and {@link DpConfig#steps()} the number of steps the schedule
 * gives the group. Every group of a run shares sigma, the clipping rule, delta, the privacy unit and the
 * joint-accounting mode (the trainer checks this); the rates and step counts may differ.
 *
 * @param name a label for reports and errors (e.g. {@code image_to_video})
 * @param model the group's graph, built over the run's shared parameter store
 * @param config the group's privacy settings
 * @param units the group's privacy units (indices local to the group)
 * @param assembler builds the group's micro-batches from its example ids
 */
public record TaskGroup(String name, DpModel model, DpConfig config, PrivacyUnits units, BatchAssembler assembler) {
  public TaskGroup {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(units, "units");
    Objects.requireNonNull(assembler, "assembler");
  }
}
