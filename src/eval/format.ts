// Small text helpers shared by the report, its statistics sections and the chart.
import type { GridResult } from './grid.js';

/** Three decimals as in the thesis tables; "—" where a metric is missing or undefined. */
export function formatMetric(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value.toFixed(3);
}

/** Markdown cell text: pipes in model names would break the table. */
export function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** Models in first-appearance order, so callers control row order. */
export function modelsOf(results: readonly GridResult[]): string[] {
  return [...new Set(results.map((r) => r.model))];
}
