/**
 * The privacy kernel of dpvideo: differentially private SGD for models built with SameDiff.
 *
 * <h2>The guarantee</h2>
 * A training run is a composition of subsampled Gaussian mechanisms. For neighbouring datasets D, D'
 * that differ by the <em>addition or removal of one privacy unit</em> (one clip, or with user-level DP
 * one subject and every clip of it), and for every set S of outputs,
 * {@code P[M(D) in S] <= exp(epsilon) P[M(D') in S] + delta}, where M releases every noisy gradient
 * (and every accounted statistic) of the run. The (epsilon, delta) pair is computed by the accountants
 * in {@link org.dpvideo.dpsgd.accounting} from the run's {@link org.dpvideo.dpsgd.accounting.DpEvent}.
 *
 * <h2>What is not protected</h2>
 * Hyper-parameters chosen by looking at private data without accounting, public data, the base model,
 * the tokenizer (it must be fitted on public data), the number of privacy units when it is released
 * unnoised, and anything computed outside the accounted mechanisms. See {@code docs/privacy-model.md}.
 */
package org.dpvideo.dpsgd;
