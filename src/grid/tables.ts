// The grid's results in the thesis's layouts: validation per noise count as
// Tables 4.3-4.5 (rows baseline, fully supervised, then DC frozen/finetuned ×
// E2H on/off × α scheduled or 1; columns clean and the training noise at SNR
// 10 … −10, AUC and AP each), and test per noise set as Figs. 4.7 (internal)
// and 4.8 (external), the noise counts as row groups. Every cell is the mean
// over seeds ± the half-width of its 95% t-interval (eval/summary.ts). The
// best DAT setting of each noise count is chosen on validation and marked ★
// in both; the best mean of each column within a noise count is bold.
import type { GridResult, NoiseSet } from '../eval/grid.js';
import { columnTitle, formatEstimate, tableConditions } from '../eval/report.js';
import { methodText } from '../eval/report_stats.js';
import { type CellSummary, summarizeCells } from '../eval/summary.js';
import type { GridRow } from './plan.js';
import type { NoiseCount } from './spec.js';

export interface NoiseCountResults {
  noiseCount: NoiseCount;
  rows: GridRow[];
  validation: GridResult[];
  test: GridResult[];
}

const METRIC_COLUMNS = [['rocAuc', 'AUC'], ['prAuc', 'AP']] as const;

/** Mean validation ROC-AUC over clean and the noisy SNRs (the score the label stages select their weights by). */
export function validationScore(summary: readonly CellSummary[], model: string): number | null {
  const means = summary.filter((c) => c.model === model).map((c) => c.rocAuc.mean);
  if (means.length === 0 || means.some((m) => m === null)) return null;
  return (means as number[]).reduce((a, b) => a + b, 0) / means.length;
}

/** The DAT setting with the best validation score (all rows when the grid has no DAT), or null. */
export function bestRow(r: NoiseCountResults, level = 0.95): string | null {
  const summary = summarizeCells(r.validation, level);
  const candidates = r.rows.some((x) => x.setting) ? r.rows.filter((x) => x.setting) : r.rows;
  let best: string | null = null;
  let bestScore = -Infinity;
  for (const row of candidates) {
    const s = validationScore(summary, row.name);
    if (s !== null && s > bestScore) [best, bestScore] = [row.name, s];
  }
  return best;
}

function describeRow(row: GridRow): string[] {
  if (!row.setting) return [row.name === 'baseline' ? 'Baseline' : 'Fully supervised', '', '', ''];
  const s = row.setting;
  return ['DAT', s.domainClassifier === 'frozen' ? 'Freeze DC' : 'Finetune DC', s.e2h ? 'w/ E2H' : 'w/o E2H', s.alphaSchedule ? 'α ≠ 1' : 'α = 1'];
}

/** Per column, the model(s) with the highest mean: bold in their block. */
function columnBest(summary: readonly CellSummary[], models: readonly string[], conditions: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const c of conditions) {
    for (const [metric] of METRIC_COLUMNS) {
      const cells = models.map((m) => summary.find((s) => s.model === m && s.condition === c)?.[metric].mean ?? null);
      const top = Math.max(...cells.filter((v): v is number => v !== null));
      models.forEach((m, i) => cells[i] !== null && cells[i]!.toFixed(3) === top.toFixed(3) && out.add(`${m}\u0000${c}\u0000${metric}`));
    }
  }
  return out;
}

function cells(summary: readonly CellSummary[], model: string, conditions: readonly string[], bold: Set<string>): string[] {
  return conditions.flatMap((c) => METRIC_COLUMNS.map(([metric]) => {
    const e = summary.find((s) => s.model === model && s.condition === c)?.[metric];
    const text = formatEstimate(e);
    return bold.has(`${model}\u0000${c}\u0000${metric}`) ? `**${text}**` : text;
  }));
}

const header = (lead: string[], conditions: readonly string[]): string[] => [
  `| ${[...lead, ...conditions.flatMap((c) => METRIC_COLUMNS.map(([, t]) => `${columnTitle(c)} ${t}`))].join(' | ')} |`,
  `|${lead.map(() => '---').join('|')}|${conditions.flatMap(() => METRIC_COLUMNS.map(() => '---:')).join('|')}|`,
];

/** One noise count's validation table (Tables 4.3-4.5). */
export function validationTable(r: NoiseCountResults, level = 0.95): string {
  const summary = summarizeCells(r.validation, level);
  const conditions = tableConditions('internal');
  const best = bestRow(r, level);
  const models = r.rows.map((x) => x.name);
  const bold = columnBest(summary, models, conditions);
  const lines = header(['Model', 'DC', 'E2H', 'α'], conditions);
  for (const row of r.rows) {
    const [model, ...setting] = describeRow(row);
    lines.push(`| ${row.name === best ? `${model} ★` : model} | ${setting.join(' | ')} | ${cells(summary, row.name, conditions, bold).join(' | ')} |`);
  }
  return lines.join('\n');
}

/** One noise set's test table over all noise counts (Fig. 4.7 internal, Fig. 4.8 external). */
export function testTable(all: readonly NoiseCountResults[], noise: NoiseSet, level = 0.95): string {
  const conditions = tableConditions(noise);
  const lines = header(['Noise', 'Model'], conditions);
  for (const r of all) {
    const summary = summarizeCells(r.test, level);
    const best = bestRow(r, level);
    const bold = columnBest(summary, r.rows.map((x) => x.name), conditions);
    r.rows.forEach((row, i) => {
      lines.push(`| ${i === 0 ? `Noise ${r.noiseCount}` : ''} | ${row.name}${row.name === best ? ' ★' : ''} | ${cells(summary, row.name, conditions, bold).join(' | ')} |`);
    });
  }
  return lines.join('\n');
}

const THESIS_TABLE: Record<NoiseCount, string> = { 1: 'Table 4.3', 2: 'Table 4.4', 4: 'Table 4.5' };

/** tables.md: every table with a line on how its cells were made and what ★ and bold mean. */
export function gridTablesText(title: string, all: readonly NoiseCountResults[], seeds: number, level = 0.95): string {
  const parts = [
    `# ${title}`, '',
    `AUC: macro ROC-AUC, AP: macro PR-AUC (average precision) over the tags; ${seeds} seed${seeds === 1 ? '' : 's'} per cell. ${methodText(level).cells}`,
    '★: the DAT setting with the best mean validation ROC-AUC over its six columns, chosen per noise count on validation and marked in the test tables too. Bold: the best mean of a column within a noise count.', '',
  ];
  for (const r of all) {
    parts.push(`## Validation, ${r.noiseCount} noise clip${r.noiseCount === 1 ? '' : 's'} per mix (layout of ${THESIS_TABLE[r.noiseCount]})`, '',
      'Validation music mixed with the training noise set\'s validation files.', '', validationTable(r, level), '');
  }
  parts.push('## Test, internal noise (layout of Fig. 4.7)', '', 'Test music mixed with the training noise set\'s test files.', '', testTable(all, 'internal', level), '');
  parts.push('## Test, external noise (layout of Fig. 4.8)', '', 'Test music mixed with a noise set never seen in training (all its files).', '', testTable(all, 'external', level), '');
  return parts.join('\n');
}
