/**
 * Named groups: a {@link org.dpvideo.fairness.group.GroupKey} maps sensitive columns to values (never a
 * bare integer), and a {@link org.dpvideo.fairness.group.GroupAssignment} assigns every example or
 * privacy unit to one group. {@link org.dpvideo.fairness.group.SensitiveFeatures} builds intersectional
 * groups as the Cartesian product of several columns, keeping empty combinations.
 */
package org.dpvideo.fairness.group;
