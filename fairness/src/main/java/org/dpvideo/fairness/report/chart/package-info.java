/**
 * Hand-written SVG charts for reports: line charts over steps and bar charts with interval whiskers.
 * Pure text output (no fonts, no scripts, no external resources), so the HTML report opens offline and
 * renders the same everywhere.
 */
package org.dpvideo.fairness.report.chart;
