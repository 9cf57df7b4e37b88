// Everything a grid evaluation writes, as file name → contents, so the CLI
// (which owns the file system) writes them and the browser page can offer
// them as downloads from the same function.

import { renderChart } from './chart.js';
import type { GridResult } from './grid.js';
import { type ReportExtras, markdownReport, meanResults, reportJson } from './report.js';
import { summarizeCells } from './summary.js';

export function reportFiles(results: readonly GridResult[], title?: string, extras: ReportExtras = {}): Record<string, string> {
  // The chart draws each model's mean over seeds, with its t-interval as a bar.
  const means = meanResults(results);
  const cells = summarizeCells(results, extras.level);
  const interval = (model: string, condition: string, metric: 'rocAuc' | 'prAuc') =>
    cells.find((c) => c.model === model && c.condition === condition)?.[metric].ci ?? null;
  return {
    'results.json': reportJson(results, extras),
    'results.md': markdownReport(results, title, extras),
    'chart-internal.svg': renderChart(means, { noise: 'internal', interval }),
    'chart-external.svg': renderChart(means, { noise: 'external', interval }),
  };
}
