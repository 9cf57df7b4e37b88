// Reports of grid results for several models (baseline, fully supervised,
// DAT variants), each with one or more training seeds: a JSON document that
// keeps everything, and Markdown tables shaped like the thesis's Figs.
// 4.7-4.8 (rows models, columns conditions, cells "ROC-AUC / PR-AUC", each
// the mean over seeds ± its t-interval). Paired differences and per-tag
// tables are in report_stats.ts; the SVG chart in chart.ts.

import type { GridResult, NoiseSet } from './grid.js';
import { escapeCell, formatMetric, modelsOf } from './format.js';
import { CLEAN, GRID_SNRS_DB, NOISE_SETS, conditionId } from './grid.js';
import { type Provenance, provenanceSection } from './provenance.js';
import { comparisonSection, methodText, perTagSection } from './report_stats.js';
import type { Estimate } from './stats.js';
import { type CellSummary, type Comparison, summarizeCells } from './summary.js';

/** What a report holds beyond the per-seed results. */
export interface ReportExtras {
  /** Level of every interval (default 0.95). */
  level?: number;
  comparisons?: Comparison[];
  bootstrap?: { replicates: number; seed: number };
  provenance?: Provenance;
}

export { escapeCell, formatMetric, modelsOf };

export interface GridReport {
  version: 2;
  /** Models in the order they first appear in the results. */
  models: string[];
  conditions: string[];
  method: { level: number; cells: string; differences: string | null; bootstrap: { replicates: number; seed: number } | null };
  /** Per (model, condition): mean and t-interval over seeds, overall and per tag. */
  summary: CellSummary[];
  /** Paired differences a − b, per condition and pooled. */
  comparisons: Comparison[];
  /** One entry per (model, seed, condition). */
  results: GridResult[];
  provenance: Provenance | null;
}

export function findResult(results: readonly GridResult[], model: string, condition: string): GridResult | undefined {
  return results.find((r) => r.model === model && r.condition === condition);
}

function checkUnique(results: readonly GridResult[]): void {
  const seen = new Set<string>();
  for (const r of results) {
    const key = `${r.model}\u0000${r.seed ?? 0}\u0000${r.condition}`;
    // Two results for one cell would make the table silently pick one.
    if (seen.has(key)) throw new Error(`two results for model "${r.model}"${r.seed === undefined ? '' : ` seed ${r.seed}`} on condition "${r.condition}"`);
    seen.add(key);
  }
}

export function buildReport(results: readonly GridResult[], extras: ReportExtras = {}): GridReport {
  checkUnique(results);
  const level = extras.level ?? 0.95;
  const method = methodText(level, extras.bootstrap);
  return {
    version: 2,
    models: modelsOf(results),
    conditions: [...new Set(results.map((r) => r.condition))],
    method: { level, cells: method.cells, differences: extras.comparisons?.length ? method.differences : null, bootstrap: extras.bootstrap ?? null },
    summary: summarizeCells(results, level),
    comparisons: extras.comparisons ?? [],
    results: [...results],
    provenance: extras.provenance ?? null,
  };
}

export function reportJson(results: readonly GridResult[], extras: ReportExtras = {}): string {
  return JSON.stringify(buildReport(results, extras), null, 2) + '\n';
}

/** Per-model means over seeds, shaped as grid results (what the chart draws). */
export function meanResults(results: readonly GridResult[]): GridResult[] {
  return summarizeCells(results).map((c) => ({
    model: c.model, condition: c.condition, rocAuc: c.rocAuc.mean, prAuc: c.prAuc.mean, clips: c.clips, excluded: [],
    perTag: c.perTag.map((t) => ({ tag: t.tag, positives: t.positives, negatives: c.clips - t.positives, rocAuc: t.rocAuc.mean, prAuc: t.prAuc.mean })),
  }));
}

/** "0.870 ± 0.012" with an interval (symmetric: a t-interval), "0.870" without. */
export function formatEstimate(e: Estimate | undefined): string {
  if (!e) return formatMetric(undefined);
  return e.ci && e.mean !== null ? `${formatMetric(e.mean)} ± ${((e.ci[1] - e.ci[0]) / 2).toFixed(3)}` : formatMetric(e.mean);
}

/** Column conditions of one noise set's table: clean, then its SNRs from 10 down to −10. */
export function tableConditions(noise: NoiseSet, snrs: readonly number[] = GRID_SNRS_DB): string[] {
  return [CLEAN.id, ...snrs.map((snr) => conditionId(noise, snr))];
}

export function columnTitle(condition: string): string {
  if (condition === CLEAN.id) return 'clean';
  const snr = Number(condition.split('/snr')[1]);
  // A real minus sign reads better than a hyphen in rendered tables.
  return `SNR ${snr < 0 ? `−${-snr}` : snr}`;
}

const NOISE_TITLES: Record<NoiseSet, string> = {
  internal: 'Internal noise (training noise source, test split)',
  external: 'External noise (never seen in training; all its files)',
};

/** One table: rows models, columns clean + SNRs, cells "ROC-AUC / PR-AUC" (mean ± CI over seeds). */
export function markdownTable(results: readonly GridResult[], noise: NoiseSet, level = 0.95): string {
  checkUnique(results);
  const summary = summarizeCells(results, level);
  const conditions = tableConditions(noise);
  const header = `| Model | ${conditions.map(columnTitle).join(' | ')} |`;
  const rule = `|---|${conditions.map(() => '---:').join('|')}|`;
  const rows = modelsOf(results).map((model) => {
    const cells = conditions.map((c) => {
      const r = summary.find((x) => x.model === model && x.condition === c);
      return `${formatEstimate(r?.rocAuc)} / ${formatEstimate(r?.prAuc)}`;
    });
    return `| ${escapeCell(model)} | ${cells.join(' | ')} |`;
  });
  return [header, rule, ...rows].join('\n');
}

/** Seeds per model, as a phrase: "3 seeds", "1 seed (no interval)", "2–3 seeds". */
function seedCount(results: readonly GridResult[]): string {
  const counts = summarizeCells(results).map((c) => c.seeds);
  const lo = Math.min(...counts);
  const hi = Math.max(...counts);
  if (hi <= 1) return 'one seed per model, so no interval';
  return `${lo === hi ? hi : `${lo}–${hi}`} seeds per model`;
}

/**
 * The grid tables and the paired differences: what the demo prints. The
 * full report (`markdownReport`) adds per-tag tables, exclusions and provenance.
 */
export function summaryText(results: readonly GridResult[], title = 'Evaluation grid', extras: ReportExtras = {}): string {
  const level = extras.level ?? 0.95;
  const parts = [`# ${title}`, '', `Cells: macro ROC-AUC / PR-AUC (average precision) over the tags; ${seedCount(results)}. ${methodText(level, extras.bootstrap).cells}`, ''];
  for (const noise of NOISE_SETS) {
    parts.push(`## ${NOISE_TITLES[noise]}`, '', markdownTable(results, noise, level), '');
  }
  if (extras.comparisons?.length) parts.push(comparisonSection(extras.comparisons, level, extras.bootstrap), '');
  return parts.join('\n');
}

/** The whole results.md: summary, per-tag tables, excluded tags, provenance. */
export function markdownReport(results: readonly GridResult[], title = 'Evaluation grid', extras: ReportExtras = {}): string {
  const parts = [summaryText(results, title, extras)];
  parts.push(perTagSection(results, extras.level ?? 0.95), '');
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
      const cells = new Set(results.map((r) => `${r.model}\u0000${r.condition}`)).size;
      const where = places.size === cells ? 'every model and condition' : [...places].join('; ');
      parts.push(`- ${key} (excluded from ${[...metrics].join(' and ')}): ${where}`);
    }
    parts.push('');
  }
  if (extras.provenance) parts.push(provenanceSection(extras.provenance), '');
  return parts.join('\n');
}
