// The thesis-shaped tables on made-up results: rows in the thesis's order,
// mean ± t-interval half-width per cell, ★ on the DAT setting with the best
// mean validation ROC-AUC (not the best row overall), bold column bests.
import { describe, expect, test } from 'vitest';
import type { GridResult } from '../../src/eval/grid.js';
import { tableConditions } from '../../src/eval/report.js';
import { type GridRow, settingName } from '../../src/grid/plan.js';
import { bestRow, testTable, validationTable } from '../../src/grid/tables.js';

const dat = (domainClassifier: 'frozen' | 'finetune', alphaSchedule: boolean): GridRow => {
  const setting = { domainClassifier, e2h: false, alphaSchedule };
  return { name: settingName(setting), stage: 'dat', setting };
};
const rows: GridRow[] = [{ name: 'baseline', stage: 'baseline' }, { name: 'fully supervised', stage: 'supervised' }, dat('frozen', true), dat('finetune', false)];

/** Two seeds per cell: roc ± 0.01, pr = roc − 0.5. */
function results(score: (row: string, condition: string) => number, conditions: string[]): GridResult[] {
  return rows.flatMap((r) => conditions.flatMap((condition) => [0, 1].map((seed) => {
    const roc = score(r.name, condition) + (seed === 0 ? -0.01 : 0.01);
    return { model: r.name, seed, condition, rocAuc: roc, prAuc: roc - 0.5, perTag: [], excluded: [], clips: 10 };
  })));
}

describe('grid tables', () => {
  // Fully supervised is best overall; of the DAT settings, finetune/α = 1 is.
  const base: Record<string, number> = { baseline: 0.7, 'fully supervised': 0.9, [rows[2].name]: 0.75, [rows[3].name]: 0.8 };
  const validation = results((r, c) => base[r] - (c === 'clean' ? 0 : 0.05), tableConditions('internal'));
  const testResults = results((r, c) => base[r] - (c.startsWith('external') ? 0.1 : 0), [...tableConditions('internal'), ...tableConditions('external').slice(1)]);
  const r = { noiseCount: 2 as const, rows, validation, test: testResults };

  test('★ goes to the best DAT setting on validation', () => {
    expect(bestRow(r)).toBe(rows[3].name);
  });

  test('validation rows follow Tables 4.3-4.5, with CIs and bold column bests', () => {
    const lines = validationTable(r).split('\n');
    expect(lines[0]).toBe('| Model | DC | E2H | α | clean AUC | clean AP | SNR 10 AUC | SNR 10 AP | SNR 5 AUC | SNR 5 AP | SNR 0 AUC | SNR 0 AP | SNR −5 AUC | SNR −5 AP | SNR −10 AUC | SNR −10 AP |');
    // Half-width of a 95% t-interval over ±0.01 (2 seeds): t(0.975, 1) · s / √2 = 12.706 · 0.01414 / 1.414 = 0.127.
    expect(lines[2]).toBe(`| Baseline |  |  |  | 0.700 ± 0.127 | 0.200 ± 0.127 | ${Array(5).fill('0.650 ± 0.127 | 0.150 ± 0.127').join(' | ')} |`);
    expect(lines[3]).toMatch(/^\| Fully supervised \|  \|  \|  \| \*\*0\.900 ± 0\.127\*\* \|/);
    expect(lines[4]).toMatch(/^\| DAT \| Freeze DC \| w\/o E2H \| α ≠ 1 \| 0\.750 ± 0\.127 \|/);
    expect(lines[5]).toMatch(/^\| DAT ★ \| Finetune DC \| w\/o E2H \| α = 1 \| 0\.800 ± 0\.127 \|/);
  });

  test('test tables group the noise counts like Figs. 4.7/4.8 and carry the validation ★', () => {
    const internal = testTable([r, { ...r, noiseCount: 4 }], 'internal').split('\n');
    expect(internal[0]).toMatch(/^\| Noise \| Model \| clean AUC \| clean AP \| SNR 10 AUC/);
    expect(internal.filter((l) => l.startsWith('| Noise 2 |'))).toHaveLength(1);
    expect(internal[2]).toMatch(/^\| Noise 2 \| baseline \| 0\.700 ± 0\.127/);
    expect(internal[5]).toMatch(/^\|  \| DAT \(DC finetune, no E2H, α = 1\) ★ \| 0\.800 ± 0\.127/);
    expect(internal[6]).toMatch(/^\| Noise 4 \| baseline \|/);
    const external = testTable([r], 'external');
    expect(external).toContain('| Noise 2 | baseline | 0.700 ± 0.127 | 0.200 ± 0.127 | 0.600 ± 0.127');
  });
});
