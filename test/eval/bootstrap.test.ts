import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/data/rng.js';
import { pairedBootstrap, weightedMacroMetrics } from '../../src/eval/bootstrap.js';
import type { ClipScores } from '../../src/eval/grid.js';
import { multiLabelMetrics } from '../../src/eval/metrics.js';

/** Random labels (prevalence p) and scores; `signal` pulls positives' scores up; `round` makes ties. */
function makeScores(clips: number, tags: number, seed: number, o: { signal?: number; round?: number; labels?: Uint8Array } = {}): ClipScores {
  const rng = new Rng(seed);
  const labels = o.labels ?? Uint8Array.from({ length: clips * tags }, () => (rng.next() < 0.3 ? 1 : 0));
  const scores = new Float32Array(clips * tags);
  for (let i = 0; i < scores.length; i++) {
    let s = rng.normal() + (o.signal ?? 0) * labels[i];
    if (o.round) s = Math.round(s * o.round) / o.round;
    scores[i] = s;
  }
  return { clipIds: Array.from({ length: clips }, (_, c) => `clip${c}`), tags, scores, labels };
}

describe('weighted pass', () => {
  it('equals metrics.ts on the explicitly resampled data, ties and duplicates included', () => {
    const s = makeScores(40, 5, 1, { signal: 1, round: 2 });
    const rng = new Rng(9);
    for (let rep = 0; rep < 20; rep++) {
      const w = new Float64Array(40);
      for (let i = 0; i < 40; i++) w[Math.floor(rng.next() * 40)]++;
      const rows: number[] = [];
      w.forEach((k, c) => { for (let j = 0; j < k; j++) rows.push(c); });
      const pick = (a: ArrayLike<number>) => rows.flatMap((c) => Array.from({ length: 5 }, (_, t) => a[c * 5 + t]));
      const want = multiLabelMetrics(pick(s.scores), pick(s.labels), rows.length, 5);
      const got = weightedMacroMetrics(s, w);
      expect(got.rocAuc).toBeCloseTo(want.rocAuc!, 12);
      expect(got.prAuc).toBeCloseTo(want.prAuc!, 12);
    }
  });

  it('leaves out tags without positives, as multiLabelMetrics does', () => {
    const s = makeScores(10, 2, 2, { labels: Uint8Array.from({ length: 20 }, (_, i) => (i % 2 === 0 && i < 8 ? 1 : 0)) });
    const want = multiLabelMetrics(s.scores, s.labels, 10, 2);
    expect(want.excluded.length).toBe(2);
    const got = weightedMacroMetrics(s, new Float64Array(10).fill(1));
    expect(got.rocAuc).toBeCloseTo(want.rocAuc!, 12);
    expect(got.prAuc).toBeCloseTo(want.prAuc!, 12);
  });
});

describe('pairedBootstrap', () => {
  it('identical models: difference exactly 0 with interval [0, 0]', () => {
    const runs = [makeScores(60, 8, 3, { signal: 1 }), makeScores(60, 8, 3, { signal: 1 })];
    const r = pairedBootstrap(runs, runs.map((x) => ({ ...x })), { replicates: 200 });
    for (const m of ['rocAuc', 'prAuc'] as const) {
      expect(r[m].difference).toBe(0);
      expect(r[m].ci).toEqual([0, 0]);
      expect(r[m].replicates).toBe(200);
    }
  });

  it('a perfect model against a random one: the interval excludes 0', () => {
    const random = makeScores(50, 6, 4);
    const perfect: ClipScores = { ...random, scores: Float32Array.from(random.labels, (l, i) => l + 0.001 * (i % 7)) };
    const r = pairedBootstrap([perfect], [random], { replicates: 300 });
    expect(r.rocAuc.difference).toBeGreaterThan(0.3);
    expect(r.rocAuc.ci![0]).toBeGreaterThan(0);
    expect(r.prAuc.ci![0]).toBeGreaterThan(0);
    // Swapping the models mirrors the interval.
    const back = pairedBootstrap([random], [perfect], { replicates: 300 });
    expect(back.rocAuc.ci![1]).toBeCloseTo(-r.rocAuc.ci![0], 12);
  });

  it('two models with the same signal but independent noise: the interval covers 0', () => {
    const a = makeScores(120, 10, 5, { signal: 0.8 });
    const b = makeScores(120, 10, 6, { signal: 0.8, labels: a.labels });
    const r = pairedBootstrap([a], [b], { replicates: 400 });
    expect(r.rocAuc.ci![0]).toBeLessThan(0);
    expect(r.rocAuc.ci![1]).toBeGreaterThan(0);
  });

  it('the spread of one tag’s ROC-AUC matches its analytic (DeLong) standard error', () => {
    // Against a constant model (AUC exactly 0.5 in every draw), the
    // difference's bootstrap spread is the spread of model A's AUC, whose
    // variance DeLong et al. (1988) give in closed form.
    const clips = 400;
    const a = makeScores(clips, 1, 7, { signal: 1 });
    const flat: ClipScores = { ...a, scores: new Float32Array(clips) };
    const pos: number[] = [];
    const neg: number[] = [];
    for (let c = 0; c < clips; c++) (a.labels[c] ? pos : neg).push(a.scores[c]);
    const psi = (x: number, y: number) => (x > y ? 1 : x === y ? 0.5 : 0);
    const v10 = pos.map((x) => neg.reduce((s, y) => s + psi(x, y), 0) / neg.length);
    const v01 = neg.map((y) => pos.reduce((s, x) => s + psi(x, y), 0) / pos.length);
    const variance = (v: number[]) => {
      const m = v.reduce((s, x) => s + x, 0) / v.length;
      return v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1);
    };
    const delongSe = Math.sqrt(variance(v10) / pos.length + variance(v01) / neg.length);
    const level = 0.6827; // ±1 SD of a normal
    const r = pairedBootstrap([a], [flat], { replicates: 2000, level, seed: 11 });
    const halfWidth = (r.rocAuc.ci![1] - r.rocAuc.ci![0]) / 2;
    expect(halfWidth / delongSe).toBeGreaterThan(0.9);
    expect(halfWidth / delongSe).toBeLessThan(1.1);
  });

  it('is deterministic given its seed, and averages several seeds per model', () => {
    const a = [makeScores(40, 4, 8, { signal: 1 }), makeScores(40, 4, 9, { signal: 1 })].map((s, i, all) => ({ ...s, labels: all[0].labels }));
    const b = [makeScores(40, 4, 10, { signal: 0.5, labels: a[0].labels })];
    const r1 = pairedBootstrap(a, b, { replicates: 100, seed: 1 });
    const r2 = pairedBootstrap(a, b, { replicates: 100, seed: 1 });
    const r3 = pairedBootstrap(a, b, { replicates: 100, seed: 2 });
    expect(r2).toEqual(r1);
    expect(r3.rocAuc.ci).not.toEqual(r1.rocAuc.ci);
    const full = (s: ClipScores) => multiLabelMetrics(s.scores, s.labels, 40, 4).rocAuc!;
    expect(r1.rocAuc.difference).toBeCloseTo((full(a[0]) + full(a[1])) / 2 - full(b[0]), 12);
  });

  it('refuses runs scored on different clips', () => {
    const a = makeScores(10, 2, 1);
    const b = { ...makeScores(10, 2, 1), clipIds: a.clipIds.map((id) => `${id}x`) };
    expect(() => pairedBootstrap([a], [b])).toThrow(/different clips/);
  });
});
