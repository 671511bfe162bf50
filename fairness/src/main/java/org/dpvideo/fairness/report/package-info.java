/**
 * Run reports: a JSON-serialisable data model of one run ({@link org.dpvideo.fairness.report.RunReport}:
 * privacy, fairness tables, privacy cost, misalignment charts, quality and decoding-collapse metrics per
 * group, sample GIFs, the noise-source label), the run-directory layout
 * ({@link org.dpvideo.fairness.report.RunDirectory}), release filtering by provenance
 * ({@link org.dpvideo.fairness.report.ReleaseScope}) and renderers to JSON, Markdown and self-contained
 * HTML (inline SVG charts, embedded GIFs, no scripts, opens offline).
 */
package org.dpvideo.fairness.report;
