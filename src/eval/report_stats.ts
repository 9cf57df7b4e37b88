// The statistical parts of the Markdown report: the method in words, the
// paired differences (table and plain-language verdicts), and per-tag tables.

import type { MetricName } from './bootstrap.js';
import type { GridResult } from './grid.js';
import { escapeCell, formatMetric, modelsOf } from './format.js';
import { type Comparison, METRICS, summarizeCells } from './summary.js';

const METRIC_TITLES: Record<MetricName, string> = { rocAuc: 'ROC-AUC', prAuc: 'PR-AUC' };

function percent(level: number): string {
  return `${Number((level * 100).toFixed(2))}%`;
}

/** How the cells and the differences were computed, in words (also stored in results.json). */
export function methodText(level: number, bootstrap?: { replicates: number; seed: number }): { cells: string; differences: string } {
  const p = percent(level);
  return {
    cells:
      `Each cell is the mean over training seeds ± the half-width of a ${p} t-interval ` +
      '(Student t with n − 1 degrees of freedom over the per-seed values); a cell from one seed has no interval.',
    differences:
      'A paired difference a − b is the difference of the two models\' macro metric, each averaged over its seeds, on the same ' +
      `test clips and the same noisy audio. Its ${p} interval is a percentile bootstrap over test clips` +
      (bootstrap ? ` (${bootstrap.replicates} replicates, seed ${bootstrap.seed})` : '') +
      ': each replicate draws the test clips with replacement, one draw shared by both models, all their seeds and every ' +
      'condition of a pooled row, recomputes macro ROC-AUC and PR-AUC and averages them over seeds. It holds the trained seeds fixed ' +
      '(how much the difference could move on another test set of this size). The "seeds" interval is a t-interval over the per-seed ' +
      'differences (seed i of a minus seed i of b), which shows how much it moves between training runs. "Significant" means the ' +
      'bootstrap interval excludes 0.',
  };
}

/** "+0.021", "−0.004": a real minus sign, and a sign always. */
export function formatSigned(v: number | null): string {
  if (v === null) return '—';
  const s = Math.abs(v).toFixed(3);
  return v < 0 && s !== '0.000' ? `−${s}` : `+${s}`;
}

function formatInterval(ci: [number, number] | null | undefined): string {
  return ci ? `[${formatSigned(ci[0])}, ${formatSigned(ci[1])}]` : '—';
}

/** "internal SNR −5", "internal, mean over SNRs", "all noisy conditions, mean". */
export function comparisonTitle(condition: string): string {
  if (condition === 'clean') return 'clean';
  if (condition === 'noisy/mean') return 'all noisy conditions, mean';
  const [set, rest] = condition.split('/');
  if (rest === 'mean') return `${set}, mean over SNRs`;
  const snr = Number(rest.replace('snr', ''));
  return `${set} SNR ${snr < 0 ? `−${-snr}` : snr}`;
}

/** One sentence per metric: where a is significantly above b, below it, and within noise. */
function verdicts(rows: readonly Comparison[], metric: MetricName): string {
  const { a, b } = rows[0];
  const above = rows.filter((r) => r[metric].significant && r[metric].difference! > 0).map((r) => comparisonTitle(r.condition));
  const below = rows.filter((r) => r[metric].significant && r[metric].difference! < 0).map((r) => comparisonTitle(r.condition));
  const within = rows.filter((r) => r[metric].significant === false).map((r) => comparisonTitle(r.condition));
  const parts: string[] = [];
  if (above.length) parts.push(`${a} is significantly above ${b} at ${above.join('; ')}`);
  if (below.length) parts.push(`${a} is significantly below ${b} at ${below.join('; ')}`);
  if (within.length) parts.push(`the difference is within noise (interval includes 0) at ${within.join('; ')}`);
  return `- ${METRIC_TITLES[metric]}: ${parts.length ? parts.join('; and ') : 'no interval could be computed'}.`;
}

/** Per pair: a table of differences with both intervals, then the verdicts in words. */
export function comparisonSection(comparisons: readonly Comparison[], level: number, bootstrap?: { replicates: number; seed: number }): string {
  const p = percent(level);
  const parts = ['## Paired differences', '', methodText(level, bootstrap).differences, ''];
  const pairs = [...new Set(comparisons.map((c) => `${c.a}\u0000${c.b}`))];
  for (const pair of pairs) {
    const rows = comparisons.filter((c) => `${c.a}\u0000${c.b}` === pair);
    const { a, b } = rows[0];
    parts.push(`### ${escapeCell(a)} − ${escapeCell(b)}`, '');
    parts.push(`| Condition | ${METRICS.map((m) => `${METRIC_TITLES[m]} a − b | ${p} CI (clips) | ${p} CI (seeds) | significant`).join(' | ')} |`);
    parts.push(`|---|${METRICS.map(() => '---:|---:|---:|:---:').join('|')}|`);
    for (const r of rows) {
      const cells = METRICS.map((m) => {
        const d = r[m];
        const mark = d.significant === null ? '—' : d.significant ? 'yes' : 'no';
        return `${formatSigned(d.difference)} | ${formatInterval(d.ci)} | ${formatInterval(d.seedInterval?.ci)} | ${mark}`;
      });
      parts.push(`| ${comparisonTitle(r.condition)} | ${cells.join(' | ')} |`);
    }
    parts.push('', ...METRICS.map((m) => verdicts(rows, m)), '');
  }
  return parts.join('\n').trimEnd();
}

/** Short column titles for the wide per-tag tables: "clean", "int 10", "ext −5". */
function shortTitle(condition: string): string {
  if (condition === 'clean') return 'clean';
  const [set, rest] = condition.split('/');
  const snr = Number(rest.replace('snr', ''));
  return `${set.slice(0, 3)} ${snr < 0 ? `−${-snr}` : snr}`;
}

/** Per model: rows tags, columns conditions, cells "ROC-AUC / PR-AUC" means over seeds. */
export function perTagSection(results: readonly GridResult[], level: number): string {
  const summary = summarizeCells(results, level);
  const conditions = [...new Set(results.map((r) => r.condition))];
  const parts = ['## Per-tag results', '', 'Cells: ROC-AUC / PR-AUC of each tag, mean over seeds (intervals in results.json); "—" where the tag has no positives (or no negatives) in the test clips.', ''];
  for (const model of modelsOf(results)) {
    const cells = conditions.map((c) => summary.find((s) => s.model === model && s.condition === c));
    const first = cells.find((c) => c !== undefined);
    if (!first) continue;
    parts.push(`### ${escapeCell(model)} (${first.seeds} seed${first.seeds === 1 ? '' : 's'})`, '');
    parts.push(`| Tag | positives | ${conditions.map(shortTitle).join(' | ')} |`);
    parts.push(`|---|---:|${conditions.map(() => '---:').join('|')}|`);
    first.perTag.forEach((t, i) => {
      const row = cells.map((c) => (c ? `${formatMetric(c.perTag[i]?.rocAuc.mean)} / ${formatMetric(c.perTag[i]?.prAuc.mean)}` : '—'));
      parts.push(`| ${escapeCell(t.tag)} | ${t.positives} | ${row.join(' | ')} |`);
    });
    parts.push('');
  }
  return parts.join('\n').trimEnd();
}
