// The linear probes: logistic regression against its own optimality condition
// and against scikit-learn, the domain probe on separable and on
// indistinguishable features, and the tag probe on informative vs noise features.
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { Rng } from '../../src/data/rng.js';
import { type DomainRows, type TagRows, compareTagProbes, domainProbe, fitLogistic, fitStandardizer, logisticObjective, standardize } from '../../src/eval/probes.js';

function gaussian(rng: Rng, rows: number, dim: number, shift: (r: number, j: number) => number = () => 0): Float64Array {
  const x = new Float64Array(rows * dim);
  for (let r = 0; r < rows; r++) for (let j = 0; j < dim; j++) x[r * dim + j] = rng.normal() + shift(r, j);
  return x;
}

/** A problem that is not separable (labels drawn from a logistic model), so the optimum is finite and interior. */
function logisticProblem(seed: number, rows: number, dim: number): { x: Float64Array; y: Float64Array } {
  const rng = new Rng(seed);
  const x = gaussian(rng, rows, dim, (_r, j) => (j % 3 === 0 ? 2 : 0));
  for (let i = 0; i < x.length; i++) x[i] *= 1 + (i % dim); // unequal column scales: standardisation must matter
  const w = Array.from({ length: dim }, () => rng.normal());
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let t = 0.3;
    for (let j = 0; j < dim; j++) t += (w[j] * x[r * dim + j]) / (1 + j);
    y[r] = rng.next() < 1 / (1 + Math.exp(-t)) ? 1 : 0;
  }
  return { x, y };
}

/** Domain rows: clean rows, then each clip again at each SNR; `gap` moves noisy rows along every axis. */
function domainRows(seed: number, clips: number, dim: number, gap: number, snrs = [10, 0, -10]): DomainRows {
  const rng = new Rng(seed);
  const snr = [...Array(clips).fill(Number.NaN), ...snrs.flatMap((s) => Array(clips).fill(s))];
  const data = gaussian(rng, snr.length, dim, (r) => (Number.isNaN(snr[r]) ? 0 : gap));
  return { data, rows: snr.length, dim, snr };
}

describe('logistic regression', () => {
  test('the gradient vanishes at the solution (pure TS optimality check)', () => {
    const { x, y } = logisticProblem(1, 300, 12);
    const m = fitLogistic({ data: x, rows: 300, dim: 12 }, y, { l2: 1e-3 });
    expect(m.converged).toBe(true);
    const xs = standardize({ data: x, rows: 300, dim: 12 }, fitStandardizer({ data: x, rows: 300, dim: 12 }));
    const theta = Float64Array.from([...m.coef, m.intercept]);
    const g = new Float64Array(13);
    logisticObjective(xs, 300, 12, y, null, 1e-3, theta, g);
    // Tolerance: the fit stops at max |∂f| < 1e-7; recomputing must agree.
    expect(Math.max(...g.map(Math.abs))).toBeLessThan(1e-7);
    // And it is a minimum: nudging any coordinate raises the objective.
    const f0 = logisticObjective(xs, 300, 12, y, null, 1e-3, theta, g);
    for (const j of [0, 5, 12]) {
      for (const d of [1e-3, -1e-3]) {
        const t = theta.slice();
        t[j] += d;
        expect(logisticObjective(xs, 300, 12, y, null, 1e-3, t, new Float64Array(13))).toBeGreaterThan(f0);
      }
    }
  });

  test('is deterministic', () => {
    const { x, y } = logisticProblem(2, 200, 8);
    const a = fitLogistic({ data: x, rows: 200, dim: 8 }, y);
    const b = fitLogistic({ data: x, rows: 200, dim: 8 }, y);
    expect(Array.from(a.coef)).toEqual(Array.from(b.coef));
    expect(a.intercept).toBe(b.intercept);
  });

  // Debian's python3-sklearn lives under /usr/bin/python3, which a pyenv python3 on PATH hides.
  const tries = ['python3', '/usr/bin/python3'].map((bin) => ({ bin, r: spawnSync(bin, ['-c', 'import sklearn'], { encoding: 'utf8' }) }));
  const python = tries.find((t) => t.r.status === 0)?.bin;
  const haveSklearn = python !== undefined;
  if (!haveSklearn) console.info(`[probes] sklearn reference skipped: ${tries.map((t) => `${t.bin} -c 'import sklearn' failed (${(t.r.stderr || t.r.error?.message || '').trim().split('\n').pop()})`).join('; ')}; apt-get install python3-sklearn`);

  test.skipIf(!haveSklearn)('matches sklearn LogisticRegression (lbfgs) with and without sample weights', () => {
    const rows = 250;
    const dim = 10;
    const { x, y } = logisticProblem(3, rows, dim);
    const weights = Array.from(y, (v) => (v ? 0.7 : 1.6));
    const l2 = 5e-3;
    const script = `
import json, sys, numpy as np
from sklearn.linear_model import LogisticRegression
d = json.load(sys.stdin)
X = np.array(d['x']).reshape(d['rows'], d['dim'])
X = (X - X.mean(0)) / X.std(0)
y = np.array(d['y'])
out = []
for sw in (None, np.array(d['w'])):
    total = len(y) if sw is None else sw.sum()
    m = LogisticRegression(C=1.0 / (d['l2'] * total), tol=1e-12, max_iter=100000).fit(X, y, sample_weight=sw)
    out.append(list(m.coef_[0]) + [float(m.intercept_[0])])
print(json.dumps(out))`;
    const ref = JSON.parse(execFileSync(python!, ['-c', script], { input: JSON.stringify({ x: Array.from(x), y: Array.from(y), w: weights, rows, dim, l2 }), encoding: 'utf8' })) as number[][];
    const ours = [fitLogistic({ data: x, rows, dim }, y, { l2 }), fitLogistic({ data: x, rows, dim }, y, { l2, weights })];
    ours.forEach((m, k) => {
      const theta = [...m.coef, m.intercept];
      // Tolerance: both solvers stop near the same strictly convex optimum; 1e-4 absolute on O(1) coefficients.
      theta.forEach((v, i) => expect(Math.abs(v - ref[k][i]), `fit ${k} coefficient ${i}: ${v} vs sklearn ${ref[k][i]}`).toBeLessThan(1e-4));
    });
  });

  test('a constant column and wrong shapes are handled', () => {
    const rows = 40;
    const x = gaussian(new Rng(4), rows, 3);
    for (let r = 0; r < rows; r++) x[r * 3 + 1] = 7; // a dead unit
    const y = Float64Array.from({ length: rows }, (_, r) => (x[r * 3] > 0 ? 1 : 0));
    const m = fitLogistic({ data: x, rows, dim: 3 }, y);
    expect(m.coef[1]).toBe(0);
    expect(() => fitLogistic({ data: x, rows, dim: 4 }, y)).toThrow(/expected 40 × 4/);
    x[5] = Number.NaN;
    expect(() => fitLogistic({ data: x, rows, dim: 3 }, y)).toThrow(/not finite/);
  });
});

describe('domain probe', () => {
  test('separable features: accuracy ≈ 1 overall and at every SNR', () => {
    const r = domainProbe(domainRows(10, 60, 16, 3), domainRows(11, 60, 16, 3));
    // A shift of 3σ on 16 axes separates the classes by 12σ along the mean difference: essentially no errors.
    expect(r.accuracy).toBeGreaterThan(0.98);
    expect(r.perSnr.map((p) => p.snr)).toEqual([10, 0, -10]);
    for (const p of r.perSnr) expect(p.accuracy).toBeGreaterThan(0.98), expect(p.noisyRows).toBe(60);
    expect(r.cleanTestRows).toBe(60);
  });

  test('identically distributed features: accuracy ≈ 0.5', () => {
    const r = domainProbe(domainRows(20, 150, 32, 0), domainRows(21, 150, 32, 0));
    // Balanced accuracy of a chance classifier on 150 clean + 450 noisy rows: sd ≈ 0.5·sqrt(1/150 + 1/450)/… ≈ 0.03; allow ±0.08.
    expect(Math.abs(r.accuracy - 0.5)).toBeLessThan(0.08);
    for (const p of r.perSnr) expect(Math.abs(p.accuracy - 0.5)).toBeLessThan(0.1);
    // The probe can still fit its training rows a little better than chance: held-out is what counts.
    expect(r.trainAccuracy).toBeGreaterThanOrEqual(0.5);
  });

  test('per-SNR accuracy follows how far each SNR moved the features', () => {
    const rng = new Rng(30);
    const make = (): DomainRows => {
      const snrs = [10, 0, -10];
      const clips = 80;
      const snr = [...Array(clips).fill(Number.NaN), ...snrs.flatMap((s) => Array(clips).fill(s))];
      // Louder noise (lower SNR) shifts further: 0 at 10 dB, 1σ at 0 dB, 4σ at −10 dB.
      const gap = (s: number): number => (Number.isNaN(s) || s === 10 ? 0 : s === 0 ? 1 : 4);
      return { data: gaussian(rng, snr.length, 4, (r, j) => (j === 0 ? gap(snr[r]) : 0)), rows: snr.length, dim: 4, snr };
    };
    const r = domainProbe(make(), make());
    const at = (s: number): number => r.perSnr.find((p) => p.snr === s)!.accuracy;
    expect(at(-10)).toBeGreaterThan(at(0));
    expect(at(0)).toBeGreaterThan(at(10) - 0.05);
  });

  test('needs both domains in each split', () => {
    const clean: DomainRows = { data: new Float64Array(8), rows: 4, dim: 2, snr: Array(4).fill(Number.NaN) };
    expect(() => domainProbe(clean, clean)).toThrow(/clean and noisy/);
  });
});

describe('tag probe', () => {
  const tags = ['a', 'b', 'c'];
  /** Rows whose first 3 dims carry the tags (when `informative`), plus noise dims. */
  function tagRows(seed: number, rows: number, informative: boolean): TagRows {
    const rng = new Rng(seed);
    const labels = new Float64Array(rows * 3);
    for (let i = 0; i < labels.length; i++) labels[i] = rng.next() < 0.3 ? 1 : 0;
    const dim = 8;
    const data = gaussian(rng, rows, dim, (r, j) => (informative && j < 3 ? 1.5 * labels[r * 3 + j] : 0));
    return { data, rows, dim, labels, tags };
  }

  test('an informative encoder beats a random one; the random one sits near 0.5', () => {
    const c = compareTagProbes({ train: tagRows(40, 300, true), test: tagRows(41, 300, true) }, { train: tagRows(42, 300, false), test: tagRows(43, 300, false) });
    // A 1.5σ shift gives AUC Φ(1.5/√2) ≈ 0.86 per tag.
    expect(c.pretrained.rocAuc!).toBeGreaterThan(0.78);
    expect(Math.abs(c.random.rocAuc! - 0.5)).toBeLessThan(0.1);
    expect(c.gain!).toBeGreaterThan(0.2);
    expect(c.pretrained.excluded).toEqual([]);
  });

  test('a tag with no positives in the train rows is excluded with the reason', () => {
    const train = tagRows(50, 100, true);
    for (let r = 0; r < 100; r++) (train.labels as Float64Array)[r * 3 + 1] = 0;
    const r = compareTagProbes({ train, test: tagRows(51, 100, true) }, { train, test: tagRows(51, 100, true) }).pretrained;
    expect(r.excluded).toEqual([{ tag: 'b', reason: 'no positives in the train rows' }]);
    expect(r.perTag[1].rocAuc).toBeNull();
    expect(r.rocAuc).not.toBeNull();
  });
});
