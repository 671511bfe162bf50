/**
 * The privacy cost each group pays (fairness spec §1.1, after Bagdasaryan et al. and Tran et al.):
 * a metric of the private model minus the same metric of a reference model (a non-private shadow run
 * trained the same way, or the public base model) on the same evaluation examples, oriented so that a
 * positive cost is harm; the gap between groups (PCG for accuracy, ERG for losses); means and spreads
 * over training seeds.
 */
package org.dpvideo.fairness.cost;
