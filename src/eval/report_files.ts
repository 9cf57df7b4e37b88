// Everything a grid evaluation writes, as file name → contents, so the CLI
// (which owns the file system) writes them and the browser page can offer
// them as downloads from the same function.

import { renderChart } from './chart.js';
import type { GridResult } from './grid.js';
import { markdownReport, reportJson } from './report.js';

export function reportFiles(results: readonly GridResult[], title?: string): Record<string, string> {
  return {
    'results.json': reportJson(results),
    'results.md': markdownReport(results, title),
    'chart-internal.svg': renderChart(results, { noise: 'internal' }),
    'chart-external.svg': renderChart(results, { noise: 'external' }),
  };
}
