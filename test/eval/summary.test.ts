import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/data/rng.js';
import { type ClipScores, type GridResult, cellResult } from '../../src/eval/grid.js';
import { markdownTable, summaryText } from '../../src/eval/report.js';
import { tInterval } from '../../src/eval/stats.js';
import { type ScoredCell, compareModels, summarizeCells } from '../../src/eval/summary.js';

const TAGS = ['rock', 'piano', 'slow', 'loud'];
const CLIPS = 60;
const CONDITIONS = ['clean', 'internal/snr10', 'internal/snr0', 'external/snr10', 'external/snr0'];

const labelRng = new Rng(1);
const LABELS = Uint8Array.from({ length: CLIPS * TAGS.length }, () => (labelRng.next() < 0.35 ? 1 : 0));

/** Scores = signal × label + noise: `signal` sets how good the model is. */
function scored(model: string, seed: number, condition: string, signal: number): ScoredCell {
  const rng = new Rng(1000 * seed + condition.length + model.length * 17);
  const scores: ClipScores = {
    clipIds: Array.from({ length: CLIPS }, (_, i) => `c${i}`),
    tags: TAGS.length,
    labels: LABELS,
    scores: Float32Array.from(LABELS, (l) => signal * l + rng.normal()),
  };
  return { model, seed, condition, scores };
}

function world(seeds: Record<string, number>, signal: Record<string, number>): { cells: ScoredCell[]; results: GridResult[] } {
  const cells = Object.entries(seeds).flatMap(([model, n]) =>
    Array.from({ length: n }, (_, seed) => CONDITIONS.map((c) => scored(model, seed, c, signal[model]))).flat(),
  );
  return { cells, results: cells.map((c) => cellResult(c.model, c.condition, c.scores, TAGS, c.seed)) };
}

describe('summarizeCells', () => {
  it('one cell per (model, condition), a t-interval over its seeds, per tag too', () => {
    const { results } = world({ good: 3, weak: 3 }, { good: 2, weak: 0.3 });
    const cells = summarizeCells(results);
    expect(cells).toHaveLength(2 * CONDITIONS.length);
    const c = cells.find((x) => x.model === 'good' && x.condition === 'internal/snr0')!;
    const values = results.filter((r) => r.model === 'good' && r.condition === 'internal/snr0').map((r) => r.rocAuc);
    expect(c.seeds).toBe(3);
    expect(c.rocAuc).toEqual(tInterval(values));
    expect(c.perTag[1].tag).toBe('piano');
    expect(c.perTag[1].prAuc).toEqual(tInterval(results.filter((r) => r.model === 'good' && r.condition === 'internal/snr0').map((r) => r.perTag[1].prAuc)));
  });
});

describe('compareModels', () => {
  it('per condition and pooled; the seed interval is a t-interval over per-seed differences', () => {
    const { cells, results } = world({ good: 3, weak: 3 }, { good: 2, weak: 0.3 });
    const out = compareModels(cells, results, { pairs: [['good', 'weak']], replicates: 200 });
    expect(out.map((c) => c.condition)).toEqual([...CONDITIONS, 'internal/mean', 'external/mean', 'noisy/mean']);
    const pooled = out.find((c) => c.condition === 'internal/mean')!;
    const perSeed = [0, 1, 2].map((s) => {
      const mean = (model: string) => {
        const v = results.filter((r) => r.model === model && r.seed === s && r.condition.startsWith('internal/')).map((r) => r.rocAuc!);
        return v.reduce((x, y) => x + y, 0) / v.length;
      };
      return mean('good') - mean('weak');
    });
    expect(pooled.rocAuc.seedInterval!.mean).toBeCloseTo(tInterval(perSeed).mean!, 12);
    expect(pooled.rocAuc.seedInterval!.ci![0]).toBeCloseTo(tInterval(perSeed).ci![0], 12);
    // The point estimate is the same number whichever way it is averaged.
    expect(pooled.rocAuc.difference).toBeCloseTo(pooled.rocAuc.seedInterval!.mean!, 12);
    // A much better model: significant everywhere, and said so.
    expect(out.every((c) => c.rocAuc.significant === true && c.rocAuc.difference! > 0)).toBe(true);
    const text = summaryText(results, 'x', { comparisons: out, bootstrap: { replicates: 200, seed: 0 } });
    expect(text).toContain('- ROC-AUC: good is significantly above weak at clean; internal SNR 10; internal SNR 0;');
    expect(text).not.toContain('within noise');
  });

  it('equal models are within noise; unequal seed counts give no seed interval', () => {
    const { cells, results } = world({ a: 2, b: 1 }, { a: 1, b: 1 });
    const out = compareModels(cells, results, { pairs: [['a', 'b']], replicates: 200 });
    expect(out.every((c) => c.rocAuc.seedInterval === null)).toBe(true);
    const within = out.filter((c) => c.rocAuc.significant === false).length;
    expect(within).toBeGreaterThanOrEqual(out.length - 1);
    const text = summaryText(results, 'x', { comparisons: out });
    expect(text).toMatch(/ROC-AUC: .*the difference is within noise \(interval includes 0\) at .*clean/);
  });

  it('names a model that was not evaluated', () => {
    const { cells, results } = world({ a: 1 }, { a: 1 });
    expect(() => compareModels(cells, results, { pairs: [['a', 'DAT']] })).toThrow(/no model named "DAT"/);
  });
});

describe('tables over seeds', () => {
  it('cells show mean ± half-width with several seeds, the bare mean with one', () => {
    const { results } = world({ multi: 3, single: 1 }, { multi: 1, single: 1 });
    const table = markdownTable(results, 'internal');
    const cell = summarizeCells(results).find((c) => c.model === 'multi' && c.condition === 'clean')!;
    const half = ((cell.rocAuc.ci![1] - cell.rocAuc.ci![0]) / 2).toFixed(3);
    expect(table).toContain(`| multi | ${cell.rocAuc.mean!.toFixed(3)} ± ${half} / `);
    expect(table).toMatch(/\| single \| \d\.\d{3} \/ \d\.\d{3} \|/);
    expect(summaryText(results)).toContain('1–3 seeds per model');
    expect(summaryText(results.filter((r) => r.model === 'single'))).toContain('one seed per model, so no interval');
  });
});
