// Reports of grid results for several models (baseline, fully supervised,
// DAT variants): a JSON document that keeps everything, and Markdown tables
// shaped like the thesis's Figs. 4.7-4.8 (rows models, columns conditions,
// cells "ROC-AUC / PR-AUC"). The SVG chart lives in chart.ts.

import type { GridResult, NoiseSet } from './grid.js';
import { CLEAN, GRID_SNRS_DB, NOISE_SETS, conditionId } from './grid.js';

export interface GridReport {
  version: 1;
  /** Models in the order they first appear in the results. */
  models: string[];
  conditions: string[];
  results: GridResult[];
}

/** Models in first-appearance order, so callers control row order. */
export function modelsOf(results: readonly GridResult[]): string[] {
  return [...new Set(results.map((r) => r.model))];
}

export function findResult(results: readonly GridResult[], model: string, condition: string): GridResult | undefined {
  return results.find((r) => r.model === model && r.condition === condition);
}

function checkUnique(results: readonly GridResult[]): void {
  const seen = new Set<string>();
  for (const r of results) {
    const key = `${r.model}\u0000${r.condition}`;
    // Two results for one cell would make the table silently pick one.
    if (seen.has(key)) throw new Error(`two results for model "${r.model}" on condition "${r.condition}"`);
    seen.add(key);
  }
}

export function buildReport(results: readonly GridResult[]): GridReport {
  checkUnique(results);
  return {
    version: 1,
    models: modelsOf(results),
    conditions: [...new Set(results.map((r) => r.condition))],
    results: [...results],
  };
}

export function reportJson(results: readonly GridResult[]): string {
  return JSON.stringify(buildReport(results), null, 2) + '\n';
}

/** Three decimals as in the thesis tables; "—" where a metric is missing or undefined. */
export function formatMetric(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value.toFixed(3);
}

/** Markdown cell text: pipes in model names would break the table. */
function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** Column conditions of one noise set's table: clean, then its SNRs from 10 down to −10. */
export function tableConditions(noise: NoiseSet, snrs: readonly number[] = GRID_SNRS_DB): string[] {
  return [CLEAN.id, ...snrs.map((snr) => conditionId(noise, snr))];
}

function columnTitle(condition: string): string {
  if (condition === CLEAN.id) return 'clean';
  const snr = Number(condition.split('/snr')[1]);
  // A real minus sign reads better than a hyphen in rendered tables.
  return `SNR ${snr < 0 ? `−${-snr}` : snr}`;
}

const NOISE_TITLES: Record<NoiseSet, string> = {
  internal: 'Internal noise (training noise source, test split)',
  external: 'External noise (never seen in training)',
};

/** One table: rows models, columns clean + SNRs, cells "ROC-AUC / PR-AUC". */
export function markdownTable(results: readonly GridResult[], noise: NoiseSet): string {
  checkUnique(results);
  const conditions = tableConditions(noise);
  const header = `| Model | ${conditions.map(columnTitle).join(' | ')} |`;
  const rule = `|---|${conditions.map(() => '---:').join('|')}|`;
  const rows = modelsOf(results).map((model) => {
    const cells = conditions.map((c) => {
      const r = findResult(results, model, c);
      return `${formatMetric(r?.rocAuc)} / ${formatMetric(r?.prAuc)}`;
    });
    return `| ${escapeCell(model)} | ${cells.join(' | ')} |`;
  });
  return [header, rule, ...rows].join('\n');
}

/** Both tables with headings, plus a note on tags excluded from the averages. */
export function markdownReport(results: readonly GridResult[], title = 'Evaluation grid'): string {
  const parts = [`# ${title}`, '', 'Cells: macro ROC-AUC / PR-AUC (average precision) over the tags.', ''];
  for (const noise of NOISE_SETS) {
    parts.push(`## ${NOISE_TITLES[noise]}`, '', markdownTable(results, noise), '');
  }
  // The same exclusion usually repeats for every model and condition (a tag with
  // no positive test clip): list each tag once, with the metrics and places.
  const byTag = new Map<string, { metrics: Set<string>; places: Set<string> }>();
  for (const r of results) {
    for (const e of r.excluded) {
      const key = `${e.tag} — ${e.reason}`;
      const entry = byTag.get(key) ?? { metrics: new Set<string>(), places: new Set<string>() };
      entry.metrics.add(e.metric === 'rocAuc' ? 'ROC-AUC' : 'PR-AUC');
      entry.places.add(`${escapeCell(r.model)}, ${r.condition}`);
      byTag.set(key, entry);
    }
  }
  if (byTag.size > 0) {
    parts.push('## Tags excluded from an average', '');
    for (const [key, { metrics, places }] of byTag) {
      const where = places.size === results.length ? 'every model and condition' : [...places].join('; ');
      parts.push(`- ${key} (excluded from ${[...metrics].join(' and ')}): ${where}`);
    }
    parts.push('');
  }
  return parts.join('\n');
}
